// A picture as sixel (DEC, VT340; mlterm, foot, WezTerm, xterm -ti vt340): 216 colour registers (the
// 6×6×6 cube, enough for a preview), six rows of pixels per band, run-length coded.
import type { Pixels } from './blocks.js';

const LEVELS = 6;

export function sixelImage(pixels: Pixels): string {
  const index = new Uint8Array(pixels.width * pixels.height);
  for (let p = 0; p < index.length; p++) {
    const q = (c: number) => Math.round((pixels.data[p * 3 + c] / 255) * (LEVELS - 1));
    index[p] = q(0) * 36 + q(1) * 6 + q(2);
  }
  let out = `\x1bPq"1;1;${pixels.width};${pixels.height}`;
  for (let i = 0; i < LEVELS ** 3; i++) {
    const pct = (v: number) => Math.round((v / (LEVELS - 1)) * 100);
    out += `#${i};2;${pct(Math.floor(i / 36))};${pct(Math.floor(i / 6) % 6)};${pct(i % 6)}`;
  }
  for (let band = 0; band < pixels.height; band += 6) {
    const used = new Set<number>();
    for (let y = band; y < Math.min(band + 6, pixels.height); y++) for (let x = 0; x < pixels.width; x++) used.add(index[y * pixels.width + x]);
    const layers: string[] = [];
    for (const colour of used) {
      let row = '';
      for (let x = 0; x < pixels.width; x++) {
        let bits = 0;
        for (let k = 0; k < 6 && band + k < pixels.height; k++) if (index[(band + k) * pixels.width + x] === colour) bits |= 1 << k;
        row += String.fromCharCode(63 + bits);
      }
      layers.push(`#${colour}${runLength(row)}`);
    }
    out += layers.join('$') + '-';
  }
  return `${out}\x1b\\`;
}

function runLength(row: string): string {
  return row.replace(/(.)\1{3,}/g, (run, c: string) => `!${run.length}${c}`);
}
