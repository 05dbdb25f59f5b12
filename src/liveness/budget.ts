// The farm's timing budget, in one place: how often a holder proves it is alive, how long observers wait
// before they take its chunks, and how long before that the holder stops its own renders. Every figure is
// a span of one machine's monotonic clock; no two hosts' clocks are ever compared (invariant 4).
//
//   holder writes beat n ── renews its lease ─────────── holder deadline ── margin ── observer window
//   t = 0 (write starts)    (read back)                  t = 12 s                     t ≥ 15 s
//
// Why the holder's deadline comes first. An observer starts its window when it first sees beat n, which is
// no earlier than when beat n became visible, which is no earlier than when the holder began writing it. So
// the holder anchors its lease at the start of that write, on its own monotonic clock, and the guard that
// kills its renders (the hook launcher, a separate process: a stalled event loop cannot stall it) fires at
// t = HOLDER_DEADLINE_MS. No observer may judge the holder dead before t = NODE_SILENT_MS.
//
// What LEASE_MARGIN_MS (3 s) covers: the lease message's trip through a pipe and the launcher waking up
// late on a loaded machine; SIGKILL reaching every process of the hook groups; the two monotonic clocks
// running at slightly different rates (parts per million: microseconds over 15 s). The observer also needs
// a sweep (OBSERVE_MS) and a claim after its verdict; that only widens the gap.
//
// What a slow filesystem does to each figure:
//   - a slow heartbeat write (NFS server busy) eats into the lease, never extends it: the lease counts from
//     the write's start. Renewals come every HEARTBEAT_MS, so writes may lag by up to
//     HOLDER_DEADLINE_MS − HEARTBEAT_MS (10 s) before the holder stops its renders for nothing;
//   - a write that hangs longer stops them: right, since observers will take the chunks at 15 s;
//   - an observer whose cache shows an old beat (attribute caching, 1–3 s on NFS, ~1 s on GlusterFS) sees
//     the beat change late: its verdict, and so recovery, comes later by the cache's age, never earlier;
//   - the holder's read-back may come from its own cache: it proves the write returned and the file system
//     answers, which is what the lease needs (the observer's side is covered by the anchoring above).

/** How often a node rewrites its record; its `beat` counter changes every time, and each renews its lease. */
export const HEARTBEAT_MS = 2000;
/** A heartbeat unchanged this long on the observer's clock means the node is gone (the observer window). */
export const NODE_SILENT_MS = 15_000;
/** Quiet this long (two missed beats), the holder is asked over its socket whether it runs the chunk. */
export const NODE_SUSPECT_MS = 2 * HEARTBEAT_MS + 1000;
/**
 * How often every node, busy or idle, reads nodes/ to watch the others' beats. Recovery of a dead node's
 * chunks takes up to NODE_SILENT_MS plus two of these (its last beat seen one period late, the verdict one
 * period after the window), so this is what keeps recovery near the window: an idle node is the rescuer.
 */
export const OBSERVE_MS = HEARTBEAT_MS;
/** Between the holder's deadline and the earliest verdict of any observer. */
export const LEASE_MARGIN_MS = 3000;
/** A holder that could not renew its lease for this long (from the start of its last good write) stops its renders. */
export const HOLDER_DEADLINE_MS = NODE_SILENT_MS - LEASE_MARGIN_MS;

/**
 * A lock's holder refreshes its lease (claim/mutex.ts), or the lock's own mtime, this often; a lock unchanged for
 * LOCK_STALE_MS is broken. A fifth of it: a change every 2 s stays visible through an attribute cache's 1–3 s with
 * room to spare (proper-lockfile refreshes at half), and a busy farm's filer gets one touch per node every 2 s.
 */
export const LOCK_REFRESH_MS = 2000;
/** Breaking a stale lock gives no chunk away: only a dead verdict (NODE_SILENT_MS) does that. */
export const LOCK_STALE_MS = 10_000;

/** How often a node compares its own claims in running/ with what it really runs. */
export const RECONCILE_MS = 5000;
/** How often the stall watch (keeper.ts) looks at the clock: a tick STALL_MS later than due means a stall. */
export const STALL_TICK_MS = 250;
/** A timer this late means the event loop was stalled (SIGSTOP, swapping, a hung read): check claims at once. */
export const STALL_MS = HEARTBEAT_MS;

/** A claim must have been seen this long before its holder's "not running" may settle it (between rename and start, its holder may not know it yet). */
export const MIN_CLAIM_AGE_MS = 1000;

/** Recording an attempt's end: first retry after this, doubling up to END_RETRY_MAX_DELAY_MS. */
export const END_RETRY_FIRST_MS = 200;
export const END_RETRY_MAX_DELAY_MS = 5000;
/** Past this, the end is left to the reconciler, which keeps trying every RECONCILE_MS. */
export const END_RETRY_FOR_MS = 60_000;

if (HOLDER_DEADLINE_MS <= 2 * HEARTBEAT_MS) throw new Error('timing budget: the holder deadline must allow a missed heartbeat or two');
