// Hook leases: a hook run for a chunk carries its node's lease key, and may run only while that lease is
// valid. renderd renews a lease after each heartbeat it wrote and read back (keeper.ts); the guard
// process (launcher.pl, or the shell guard without Perl) times it on its own clock and kills the hooks of
// a lease that ran out, whether or not renderd's event loop is running. This module is renderd's side:
// the current deadlines, and the guards to tell.

/** Why a hook was killed or refused: its node could not show it was alive in time. */
export const LEASE_EXPIRED = "its node's lease ran out (renderd could not renew its heartbeat in time)";

/** Lease key → deadline on this process's monotonic clock (performance.now). */
const deadlines = new Map<string, number>();
type Listener = (key: string, validMs: number) => void;
const listeners = new Set<Listener>();

/** The lease `key` is valid for `validMs` more: tells every guard. */
export function renewHookLease(key: string, validMs: number): void {
  deadlines.set(key, performance.now() + validMs);
  for (const listener of listeners) listener(key, validMs);
}

/** Whether hooks of lease `key` may run now, as this process sees it (the guard has the last word). */
export function hookLeaseValid(key: string): boolean {
  return (deadlines.get(key) ?? -Infinity) > performance.now();
}

/** A node going down: its lease needs no renewal any more (its hooks ended). */
export function dropHookLease(key: string): void {
  deadlines.delete(key);
}

/** The leases still valid, with the time each has left: for a guard that (re)starts. */
export function currentLeases(): [key: string, remainingMs: number][] {
  const now = performance.now();
  return [...deadlines].filter(([, deadline]) => deadline > now).map(([key, deadline]) => [key, Math.floor(deadline - now)]);
}

/** A guard hears of every renewal; returns the way to stop listening. */
export function onLeaseRenewed(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The guard mark of a hook of lease `key`: the guard's own mark, so renderd's death still finds it. */
export function leasedMark(mark: string, key: string | undefined): string {
  return key ? `${mark}.${key}` : mark;
}
