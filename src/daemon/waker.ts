// How the node's loop sleeps between rounds: until a poll period ends, or until something that may make a
// chunk claimable (a new job, a finished chunk, a peer's message, a control change) wakes it early.

export class Waker {
  private wakeUp: (() => void) | undefined;
  /** Woken since the round began: the next sleep is skipped. */
  private woken = false;

  /** Something may be claimable now. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** A round begins: wake-ups before this were for an earlier round. */
  beginRound(): void {
    this.woken = false;
  }

  /** Whether something woke the loop since the round began. */
  get wokenThisRound(): boolean {
    return this.woken;
  }

  /** Resolves true when woken, false when the time ran out. */
  async sleep(ms: number): Promise<boolean> {
    const woken = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      this.wakeUp = () => { clearTimeout(timer); resolve(true); };
    });
    this.wakeUp = undefined;
    return woken;
  }
}
