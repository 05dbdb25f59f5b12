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
