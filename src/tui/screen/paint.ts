// Model lines into blessed's tagged strings. Every piece of text is escaped: a job named "{bold}"
// must show as typed, not restyle the screen.
import blessed from 'blessed';
import type { Line, Tone } from '../model/columns.js';
import { printable } from '../model/text.js';

const TONE_TAGS: Record<Tone, [string, string]> = {
  normal: ['', ''],
  dim: ['{gray-fg}', '{/gray-fg}'],
  good: ['{green-fg}', '{/green-fg}'],
  busy: ['{cyan-fg}', '{/cyan-fg}'],
  warn: ['{yellow-fg}', '{/yellow-fg}'],
  bad: ['{red-fg}', '{/red-fg}'],
  paused: ['{magenta-fg}', '{/magenta-fg}'],
  accent: ['{bold}', '{/bold}'],
};

/** `focused`: whether the line's pane has the keyboard; its selected row is reversed, others underlined. */
export function paintLine(line: Line, focused = true): string {
  const body = line.segments.map((s) => {
    const [open, close] = TONE_TAGS[s.tone ?? 'normal'];
    return open + blessed.escape(printable(s.text)) + close;
  }).join('');
  if (!line.selected) return body;
  return focused ? `{inverse}${body}{/inverse}` : `{underline}${body}{/underline}`;
}

export function paintLines(lines: readonly Line[], focused = true): string {
  return lines.map((line) => paintLine(line, focused)).join('\n');
}
