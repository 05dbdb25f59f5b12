// A duration as the CLI, the ui and the web page show it: 42s, 7m05s, 3h12m, 2d04h. Whole seconds are
// floored, so an elapsed time is never shown ahead of the clock. No imports: the web page loads it as is.

/** Compact duration; `unknown` (default '-') for undefined, NaN or a negative span. */
export function formatDuration(ms: number | undefined | null, unknown = '-'): string {
  if (ms === undefined || ms === null || !Number.isFinite(ms) || ms < 0) return unknown;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d${String(h % 24).padStart(2, '0')}h`;
}
