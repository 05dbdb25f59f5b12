// Recording an attempt's end despite a passing fault. One EPERM, EIO or ESTALE, or a lock busy for its
// whole wait, must not leave a chunk in running/ until the node restarts (issue 15, item 4): the end is
// tried again with a growing delay, and past END_RETRY_FOR_MS left to the node's reconciler (own-claims.ts).
import type { FarmContext } from '../claim/context.js';
import { endAttempt, type EndOptions, type EndResult } from '../claim/protocol.js';
import type { AttemptEnd } from '../claim/transitions.js';
import type { Claim } from '../spool/running-names.js';
import { sleep } from './clock.js';
import { END_RETRY_FIRST_MS, END_RETRY_FOR_MS, END_RETRY_MAX_DELAY_MS } from './budget.js';

/** An end that could not be recorded yet: everything needed to try again later. */
export interface PendingEnd {
  job: string;
  chunk: string;
  claim: Claim;
  end: AttemptEnd;
  options: EndOptions;
}

export type RetriedEnd = EndResult | { ok: false; reason: 'unrecorded'; error: string };

/** One try: a thrown error or a busy lock is a reason to try again, reported as such. */
export async function tryEnd(ctx: FarmContext, pending: PendingEnd): Promise<RetriedEnd> {
  try {
    const result = await endAttempt(ctx, pending.job, pending.chunk, pending.claim, pending.end, pending.options);
    return result.ok || result.reason !== 'busy' ? result : { ok: false, reason: 'unrecorded', error: 'its lock stayed busy' };
  } catch (error) {
    return { ok: false, reason: 'unrecorded', error: (error as Error).message };
  }
}

/** Tries until recorded, fenced off or gone, for up to `forMs`; the first failure and the outcome are logged. */
export async function endWithRetry(ctx: FarmContext, pending: PendingEnd, forMs = END_RETRY_FOR_MS): Promise<RetriedEnd> {
  const label = `chunk ${pending.job}/${pending.chunk}`;
  const started = ctx.clock.monotonicMs();
  let delay = END_RETRY_FIRST_MS;
  for (let tries = 1; ; tries++) {
    // the held lock goes with every try: a try that failed before it could use it (the filer away) left it
    // held, and this node's own refresher keeps it fresh, so taking the lock anew would wait for ever
    const result = await tryEnd(ctx, pending);
    if (result.ok || result.reason !== 'unrecorded') {
      if (tries > 1) ctx.log(`${label}: its end recorded at try ${tries}`);
      return result;
    }
    if (tries === 1) ctx.log(`${label}: could not record its end (${result.error}); trying again`);
    if (ctx.clock.monotonicMs() - started >= forMs) return result;
    await sleep(delay);
    delay = Math.min(delay * 2, END_RETRY_MAX_DELAY_MS);
  }
}
