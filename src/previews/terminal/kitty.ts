// A PNG through kitty's graphics protocol (kitty, WezTerm, Ghostty): sent whole, base64 in 4 KiB
// pieces, and scaled by the terminal into `cols` × `rows` cells at the cursor.

const PIECE = 4096;

export function kittyImage(png: Buffer, cols: number, rows: number): string {
  const data = png.toString('base64');
  const pieces: string[] = [];
  for (let i = 0; i < data.length; i += PIECE) pieces.push(data.slice(i, i + PIECE));
  if (pieces.length === 0) pieces.push('');
  return pieces.map((piece, i) => {
    const more = i < pieces.length - 1 ? 1 : 0;
    const keys = i === 0 ? `a=T,f=100,q=2,c=${cols},r=${rows},m=${more}` : `m=${more}`;
    return `\x1b_G${keys};${piece}\x1b\\`;
  }).join('');
}

/** Deletes every image kitty placed (when the preview pane goes away). */
export const KITTY_CLEAR = '\x1b_Ga=d,q=2\x1b\\';
