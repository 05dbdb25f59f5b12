// A warm Blender's stdout, cut into what belongs to the request in progress (Blender's lines) and what is
// the server's (its marks). Pure: the state goes in and comes out, so tests feed it any cut of the bytes.

/** The server's marks start lines with this (warm-server.py's MARK). */
export const WARM_MARK = '\x1eRENDERD-WARM-';

export interface WarmStdoutState {
  /** The start of a line not ended yet. */
  pending: string;
  /**
   * An empty line held back: the server prints a newline before each mark (so a line Blender left
   * unterminated cannot hide the mark), and when Blender's last line was complete that newline makes an
   * empty line that is not Blender's. The next line decides: a mark drops it, anything else passes it on.
   */
  heldBlank: boolean;
}

export type WarmPiece = { line: string } | { mark: string[] };

export const initialWarmStdout = (): WarmStdoutState => ({ pending: '', heldBlank: false });

/** Whole lines of `text` (latin1, as Blender's bytes came) appended to what was pending. */
export function splitWarmStdout(state: WarmStdoutState, text: string): { state: WarmStdoutState; pieces: WarmPiece[] } {
  let { pending, heldBlank } = state;
  pending += text;
  const pieces: WarmPiece[] = [];
  let newline: number;
  while ((newline = pending.indexOf('\n')) >= 0) {
    const line = pending.slice(0, newline + 1);
    pending = pending.slice(newline + 1);
    const held = heldBlank;
    heldBlank = false;
    if (line.startsWith(WARM_MARK)) {
      pieces.push({ mark: line.slice(WARM_MARK.length).trim().split(' ') });
      continue;
    }
    if (held) pieces.push({ line: '\n' });
    if (line === '\n') heldBlank = true;
    else pieces.push({ line });
  }
  return { state: { pending, heldBlank }, pieces };
}

/** Bytes of Blender's stderr kept while it loads: enough for Python's error and Blender's lines after it. */
const STARTUP_TAIL_CHARS = 2048;

/** The tail of a loading Blender's stderr, `text` appended. */
export function keepStartupTail(tail: string, text: string): string {
  return (tail + text).slice(-STARTUP_TAIL_CHARS);
}

/**
 * What a Blender that died while loading said of it: the first error line of its stderr's tail (Python's
 * `OSError: Python file "…" could not be opened` comes before Blender's own "script failed"), else the last
 * line; undefined when it said nothing.
 */
export function startupFailure(tail: string): string | undefined {
  const lines = tail.split('\n');
  // a tail cut to its size starts inside a line, which names nothing whole
  if (tail.length >= STARTUP_TAIL_CHARS) lines.shift();
  const said = lines.map((line) => line.trim()).filter(Boolean);
  return said.find((line) => /error/i.test(line)) ?? said.at(-1);
}
