// How the node's loop sleeps between rounds: until a poll period ends, or until something that may make a
// chunk claimable (a new job, a finished chunk, a peer's message, a control change) wakes it early.

export class Waker {
  private wakeUp: (() => void) | undefined;
  /** Woken since the round began: the next sleep is skipped. */
  private woken = false;
  /** Woken by something other than this node's own chunks since the finder last looked: active/ may have changed. */
  private news = true;

  /** Something may be claimable now: a spool change, a peer, a control. */
  wake(): void {
    this.news = true;
    this.wakeForOwnChunk();
  }

  /** A chunk of this node freed its slot or ended: claimable maybe, though nothing new is on the spool. */
  wakeForOwnChunk(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Whether anything but this node's own chunks woke it since the last call. */
  takeNews(): boolean {
    const news = this.news;
    this.news = false;
    return news;
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
