// The log pane: the tail of a chunk's log, cleaned for a terminal. Blender redraws its progress line
// with carriage returns and some hooks print colours: only the last state of a line is kept, and
// escape sequences and control characters are removed so they cannot move the ui's cursor.

// CSI sequences (colours, cursor moves) and OSC sequences (titles), as terminals define them (ECMA-48)
const ESCAPES = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]/g;
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f]/g;

export function cleanLogLine(raw: string): string {
  const cr = raw.lastIndexOf('\r', raw.length - 2);
  const last = (cr >= 0 ? raw.slice(cr + 1) : raw).replace(/\r$/, '');
  return last.replace(ESCAPES, '').replace(/\t/g, '    ').replace(CONTROLS, '');
}

/** The last `count` lines of `text` matching the filter, `scroll` lines up from the end. */
export function tailLogLines(text: string, count: number, scroll = 0, filter = ''): string[] {
  let lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  lines = lines.map(cleanLogLine);
  if (filter) {
    const needle = filter.toLowerCase();
    lines = lines.filter((line) => line.toLowerCase().includes(needle));
  }
  const end = Math.max(Math.min(count, lines.length), lines.length - Math.max(0, scroll));
  return lines.slice(Math.max(0, end - count), end);
}

/** How far up the log may scroll: until its first line is at the top. */
export function maxLogScroll(text: string, count: number): number {
  const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  return Math.max(0, lines - count);
}
