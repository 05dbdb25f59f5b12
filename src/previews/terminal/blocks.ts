// A picture as text: each cell is ▀ with the upper pixel as its foreground and the lower one as its
// background, so a cell holds two square-ish pixels. True colour or the nearest of xterm's 256.

export interface Pixels { width: number; height: number; /** RGB, 3 bytes a pixel. */ data: Uint8Array }

export const UPPER_HALF = '▀';

const CUBE = [0, 95, 135, 175, 215, 255];

/** The nearest xterm-256 colour: the 6×6×6 cube or the grey ramp, whichever is closer. */
export function xterm256(r: number, g: number, b: number): number {
  const level = (v: number) => CUBE.reduce((best, c, i) => (Math.abs(c - v) < Math.abs(CUBE[best] - v) ? i : best), 0);
  const [ri, gi, bi] = [level(r), level(g), level(b)];
  const cube = 16 + 36 * ri + 6 * gi + bi;
  const cubeDist = (CUBE[ri] - r) ** 2 + (CUBE[gi] - g) ** 2 + (CUBE[bi] - b) ** 2;
  const grey = Math.max(0, Math.min(23, Math.round(((r + g + b) / 3 - 8) / 10)));
  const greyValue = 8 + grey * 10;
  const greyDist = (greyValue - r) ** 2 + (greyValue - g) ** 2 + (greyValue - b) ** 2;
  return greyDist < cubeDist ? 232 + grey : cube;
}

/** The RGB an xterm-256 index stands for (16..255). */
export function xterm256Rgb(index: number): [number, number, number] {
  if (index >= 232) { const v = 8 + (index - 232) * 10; return [v, v, v]; }
  const i = index - 16;
  return [CUBE[Math.floor(i / 36)], CUBE[Math.floor(i / 6) % 6], CUBE[i % 6]];
}

function sgr(rgb: readonly number[], ground: 38 | 48, truecolor: boolean): string {
  return truecolor ? `${ground};2;${rgb[0]};${rgb[1]};${rgb[2]}` : `${ground};5;${xterm256(rgb[0], rgb[1], rgb[2])}`;
}

/** One string per row of cells (height/2, rounded up), each ending with a reset. */
export function halfBlockRows(pixels: Pixels, truecolor: boolean): string[] {
  const rows: string[] = [];
  const at = (x: number, y: number) => { const i = (y * pixels.width + x) * 3; return [pixels.data[i], pixels.data[i + 1], pixels.data[i + 2]]; };
  for (let y = 0; y < pixels.height; y += 2) {
    let line = '';
    let last = '';
    for (let x = 0; x < pixels.width; x++) {
      const top = at(x, y);
      const code = y + 1 < pixels.height ? `${sgr(top, 38, truecolor)};${sgr(at(x, y + 1), 48, truecolor)}` : `49;${sgr(top, 38, truecolor)}`;
      if (code !== last) line += `\x1b[${code}m`;
      last = code;
      line += UPPER_HALF;
    }
    rows.push(`${line}\x1b[0m`);
  }
  return rows;
}
