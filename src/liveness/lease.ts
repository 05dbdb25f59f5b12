// Hook leases: a hook run for a chunk carries its node's lease key, and may run only while that lease is
// valid. renderd renews a lease after each heartbeat it wrote and read back (keeper.ts); the guard
// process (launcher.pl, or the shell guard without Perl) times it on its own clock and kills the hooks of
// a lease that ran out, whether or not renderd's event loop is running. This module is renderd's side:
// the current deadlines on the injected clock, and the guards to tell.
import { systemClock, type Clock } from './clock.js';

/** Why a hook was killed or refused: its node could not show it was alive in time. */
export const LEASE_EXPIRED = "its node's lease ran out (renderd could not renew its heartbeat in time)";

type Listener = (key: string, validMs: number) => void;

export class HookLeases {
  /** Lease key → deadline on the clock's monotonic ms. */
  private readonly deadlines = new Map<string, number>();
  private readonly listeners = new Set<Listener>();

  constructor(private readonly clock: Pick<Clock, 'monotonicMs'> = systemClock) {}

  /** The lease `key` is valid for `validMs` more: tells every guard. */
  renew(key: string, validMs: number): void {
    this.deadlines.set(key, this.clock.monotonicMs() + validMs);
    for (const listener of this.listeners) listener(key, validMs);
  }

  /** Whether hooks of lease `key` may run now, as this process sees it (the guard has the last word). */
  valid(key: string): boolean {
    return (this.deadlines.get(key) ?? -Infinity) > this.clock.monotonicMs();
  }

  /** A node going down: its lease needs no renewal any more (its hooks ended). */
  drop(key: string): void {
    this.deadlines.delete(key);
  }

  /** The leases still valid, with the time each has left: for a guard that (re)starts. */
  current(): [key: string, remainingMs: number][] {
    const now = this.clock.monotonicMs();
    return [...this.deadlines].filter(([, deadline]) => deadline > now).map(([key, deadline]) => [key, Math.floor(deadline - now)]);
  }

  /** A guard hears of every renewal; returns the way to stop listening. */
  onRenewed(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/**
 * This process's leases, on the system clock: the hook launchers and shell guards of the process listen to
 * it, so the daemon's keeper renews here. A test of the lease rules makes its own on a fake clock.
 */
export const hookLeases = new HookLeases();

export const renewHookLease = (key: string, validMs: number) => hookLeases.renew(key, validMs);
export const hookLeaseValid = (key: string) => hookLeases.valid(key);
export const dropHookLease = (key: string) => hookLeases.drop(key);
export const currentLeases = () => hookLeases.current();
export const onLeaseRenewed = (listener: Listener) => hookLeases.onRenewed(listener);

/** Set in every hook's environment; inherited by everything a hook starts, even outside its group. */
export const GUARD_MARK_VAR = 'RENDERD_GUARD';

/** The guard mark of a hook of lease `key`: the guard's own mark, so renderd's death still finds it. */
export function leasedMark(mark: string, key: string | undefined): string {
  return key ? `${mark}.${key}` : mark;
}
