// Which test file starts next: longest first, at most `jobs` at once, a file that must run alone with no
// other beside it, and two files that need one shared thing (a glusterd, MooseFS's ports) never together.
export interface PlannedFile {
  name: string;
  /** It measures the machine, or loads it so that nothing else should run: '// test-runner: alone'. */
  alone: boolean;
  /** What it takes that another file must not hold at the same time: '// test-runner: needs glusterd'. */
  needs: string[];
}

/** The position in `queue` of the next file to start now, or -1 when none may. */
export function pickNext(queue: PlannedFile[], running: PlannedFile[], jobs: number): number {
  if (running.length >= jobs || running.some((file) => file.alone)) return -1;
  const held = new Set(running.flatMap((file) => file.needs));
  for (let index = 0; index < queue.length; index += 1) {
    const file = queue[index];
    // a file waiting to run alone goes first, or the lanes would never all be free for it
    if (file.alone) return running.length === 0 ? index : -1;
    if (!file.needs.some((need) => held.has(need))) return index;
  }
  return -1;
}

/** A file's wishes, from the comment lines at the top of its compiled source. */
export function planOf(name: string, source: string): PlannedFile {
  const head = source.slice(0, 4000);
  const needs = [...head.matchAll(/^\/\/ test-runner: needs (.+)$/gm)].flatMap((match) => match[1].split(/[\s,]+/).filter(Boolean));
  return { name, alone: /^\/\/ test-runner: alone\b/m.test(head), needs };
}
