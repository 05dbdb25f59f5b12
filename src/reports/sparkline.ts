// Text charts for the terminal: sparklines (▁▂▃▄▅▆▇█) and block bars.

const SPARKS = '▁▂▃▄▅▆▇█';
const EIGHTHS = ' ▏▎▍▌▋▊▉';

/** One character per value, scaled to `max` (default: the largest value); zero stays the lowest tick. */
export function sparkline(values: readonly number[], max = Math.max(0, ...values)): string {
  return values.map((v) => {
    if (!(max > 0) || !(v > 0)) return SPARKS[0];
    const level = Math.ceil((Math.min(v, max) / max) * SPARKS.length) - 1;
    return SPARKS[Math.max(0, Math.min(SPARKS.length - 1, level))];
  }).join('');
}

/** A bar `width` cells wide for a fraction 0…1, in eighths of a cell, padded with a light shade. */
export function blockBar(fraction: number, width: number): string {
  const clamped = Math.max(0, Math.min(1, Number.isFinite(fraction) ? fraction : 0));
  const eighths = Math.round(clamped * width * 8);
  const full = Math.floor(eighths / 8);
  const rest = eighths % 8;
  const partial = rest > 0 ? EIGHTHS[rest] : '';
  return '█'.repeat(full) + partial + '░'.repeat(Math.max(0, width - full - (partial ? 1 : 0)));
}
