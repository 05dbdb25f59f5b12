// What every doctor check returns: what it found, and what to do about it.

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface Check {
  /** Stable, dotted: spool.filesystem, node.farm-02.clock… */
  id: string;
  status: CheckStatus;
  found: string;
  /** What to do; empty when nothing needs doing. */
  advice: string;
}

const RANK: Record<CheckStatus, number> = { ok: 0, warn: 1, fail: 2 };

export function ok(id: string, found: string, advice = ''): Check {
  return { id, status: 'ok', found, advice };
}

export function warn(id: string, found: string, advice: string): Check {
  return { id, status: 'warn', found, advice };
}

export function fail(id: string, found: string, advice: string): Check {
  return { id, status: 'fail', found, advice };
}

export function overallStatus(checks: readonly Check[]): CheckStatus {
  return checks.reduce<CheckStatus>((worst, c) => (RANK[c.status] > RANK[worst] ? c.status : worst), 'ok');
}

/** 0 all is well, 1 warnings, 2 the farm cannot work. */
export function exitCodeOf(status: CheckStatus): number {
  return RANK[status];
}

export function bytesText(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

export function modeText(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}
