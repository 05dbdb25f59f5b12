// A size as the CLI, the ui and the web page show it: 512B, 1.5K, 12M, 3.2G (powers of 1024).
// No imports: the web page loads it as is.

export function formatBytes(n: number): string {
  const units = ['B', 'K', 'M', 'G', 'T'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
  return `${value >= 10 || unit === 0 ? Math.round(value) : value.toFixed(1)}${units[unit]}`;
}
