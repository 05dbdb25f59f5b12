// Affinity (issue 17): within one priority level a node takes chunks of a job whose Blender it has warm
// first; across levels priority still wins. Pure: claim order in, claim order out.
import type { ActiveEntry } from '../jobs/active.js';

/** `entries` in claim order (priority, then submission); each priority's warm jobs moved to its front, in order. */
export function preferWarm(entries: readonly ActiveEntry[], warm: ReadonlySet<string>): ActiveEntry[] {
  if (warm.size === 0) return [...entries];
  const out: ActiveEntry[] = [];
  for (let i = 0; i < entries.length;) {
    let j = i;
    while (j < entries.length && entries[j].priority === entries[i].priority) j++;
    const level = entries.slice(i, j);
    out.push(...level.filter((e) => warm.has(e.job)), ...level.filter((e) => !warm.has(e.job)));
    i = j;
  }
  return out;
}
