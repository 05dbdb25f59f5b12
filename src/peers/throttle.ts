// Rate-limits a repeated warning so that a flood of bad clients cannot flood the log too.

export interface ThrottledWarning {
  /** Logs now if the last logged one is at least intervalMs old, else counts it for the next line. */
  warn(message: string): void;
}

export function throttleWarning(log: (message: string) => void, monoMs: () => number, intervalMs = 1000): ThrottledWarning {
  let lastLoggedMs = -Infinity;
  let suppressed = 0;
  return {
    warn(message) {
      const now = monoMs();
      if (now - lastLoggedMs < intervalMs) {
        suppressed++;
        return;
      }
      lastLoggedMs = now;
      log(suppressed > 0 ? `${message} (and ${suppressed} more like it not logged)` : message);
      suppressed = 0;
    },
  };
}
