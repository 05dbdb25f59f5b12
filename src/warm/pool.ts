// The node's warm Blenders: at most one per slot, each loaded with one job's file. One is reused by the
// next chunk of its job when nothing it was started from changed (key: Blender, the file, threads, the
// environment, the job's hooks, renderd's warm files). It ends when the node moves to another job, after
// an idle time, under memory pressure, after enough frames (a guard against leaks), or when its key changes.
import type { HookLauncher } from '../hooks/launcher.js';
import { readMemory } from '../nodes/sysinfo.js';
import { WarmBlender, type WarmOutput, type WarmStart } from './blender.js';
import type { WarmRequest } from './request.js';

export interface WarmLimits {
  /** Slots: how many warm Blenders may live at once. */
  capacity: number;
  idleMs: number;
  maxFrames: number;
  /** Below this share of memory available, no Blender is kept warm after its render. */
  minFreeShare: number;
  loadTimeoutMs: number;
}

export type WarmResult = { code: number } | { fallback: string };

/** How many jobs' failed starts are remembered at once: a node that sees many broken jobs forgets the oldest. */
const FAILED_STARTS_KEPT = 64;

export class WarmPool {
  private readonly blenders = new Set<WarmBlender>();
  private readonly idleTimers = new Map<WarmBlender, NodeJS.Timeout>();
  /** Per job, the key of a warm Blender that could not start and why: its next chunks go cold at once. */
  private readonly failedStarts = new Map<string, { key: string; reason: string }>();
  private serial = 0;

  constructor(
    private readonly launcher: () => HookLauncher | undefined,
    private readonly limits: WarmLimits,
    private readonly socketBase: string,
    private readonly log: (line: string) => void,
  ) {}

  /** The jobs with a warm Blender here (the finder prefers their chunks). */
  warmJobs(): Set<string> {
    return new Set([...this.blenders].filter((b) => b.alive).map((b) => b.job));
  }

  /** Renders a chunk's frames warm; `signal` aborts (the chunk was stopped): its Blender is killed. */
  async render(job: string, key: string, start: Omit<WarmStart, 'socketPath' | 'loadTimeoutMs'>, request: WarmRequest, out: WarmOutput, signal: AbortSignal): Promise<WarmResult> {
    const launcher = this.launcher();
    if (!launcher) return { fallback: 'no hook launcher (Perl) on this node' };
    let blender = [...this.blenders].find((b) => b.job === job && b.key === key && b.alive && !b.busy);
    const reused = Boolean(blender);
    if (!blender) {
      // a start that failed fails again (a Blender, file or package that cannot serve warm): not every chunk
      // pays for trying, and the node's log says why once; a changed key (file, Blender, hooks) tries again
      const failed = this.failedStarts.get(job);
      if (failed?.key === key) return { fallback: `could not start a warm Blender for this job: ${failed.reason}` };
      for (const old of [...this.blenders]) if (old.job === job && old.key !== key && !old.busy) this.end(old, 'its file, hooks or settings changed');
      if (!this.makeRoom()) return { fallback: 'every warm Blender of this node is busy' };
      blender = new WarmBlender(job, key);
      // busy while it loads: another slot's chunk of the job must not take it half-loaded
      blender.busy = true;
      this.blenders.add(blender);
      try {
        await blender.start(launcher, { ...start, socketPath: `${this.socketBase}.${process.pid}.${++this.serial}`, loadTimeoutMs: this.limits.loadTimeoutMs }, (pid) => out.spawned?.(pid));
      } catch (error) {
        const reason = (error as Error).message;
        this.rememberFailedStart(job, key, reason);
        this.end(blender, `could not start: ${reason}; the job's chunks start Blender themselves`);
        return { fallback: `could not start a warm Blender: ${reason}` };
      }
      this.log(`warm Blender for job ${job} started (pid ${blender.pid})`);
    }
    this.unIdle(blender);
    if (reused && blender.pid) out.spawned?.(blender.pid);
    blender.busy = true;
    const stop = () => this.end(blender!, 'its chunk was stopped');
    signal.addEventListener('abort', stop, { once: true });
    out.stdout(Buffer.from(`render-blender: warm Blender pid ${blender.pid}, ${reused ? `file loaded already, ${blender.frames} frame(s) rendered before` : 'file loaded'}\n`));
    try {
      if (signal.aborted) return { code: 1 };
      const code = await blender.render(request, start.cwd, out);
      if (code === 75) return { fallback: 'the warm Blender cannot serve this request' };
      blender.frames += request.runs.reduce((n, [s, e, j]) => n + Math.floor((e - s) / j) + 1, 0);
      return { code };
    } catch (error) {
      this.end(blender, (error as Error).message);
      return signal.aborted ? { code: 1 } : { fallback: `the warm Blender failed: ${(error as Error).message}` };
    } finally {
      signal.removeEventListener('abort', stop);
      blender.busy = false;
      blender.lastUsedMs = performance.now();
      this.afterUse(blender);
    }
  }

  /** A chunk of one of `jobs` runs or starts here: Blenders of other jobs, idle, are not needed any more. */
  retainJobs(jobs: ReadonlySet<string>): void {
    for (const blender of [...this.blenders]) if (!blender.busy && !jobs.has(blender.job)) this.end(blender, 'the node moved to another job');
  }

  endJob(job: string, why: string): void {
    this.failedStarts.delete(job);
    for (const blender of [...this.blenders]) if (blender.job === job && !blender.busy) this.end(blender, why);
  }

  stopAll(): void {
    for (const blender of [...this.blenders]) this.end(blender, 'the node is stopping');
  }

  private rememberFailedStart(job: string, key: string, reason: string): void {
    this.failedStarts.delete(job);
    this.failedStarts.set(job, { key, reason });
    for (const oldest of this.failedStarts.keys()) {
      if (this.failedStarts.size <= FAILED_STARTS_KEPT) break;
      this.failedStarts.delete(oldest);
    }
  }

  private afterUse(blender: WarmBlender): void {
    if (!blender.alive) return this.end(blender, 'it exited');
    if (blender.retiring) return this.end(blender, 'it could not put the file\'s settings back (see the chunk log)');
    if (blender.frames >= this.limits.maxFrames) return this.end(blender, `${blender.frames} frames rendered (leak guard)`);
    const mem = readMemory();
    if (mem && mem.available / mem.total < this.limits.minFreeShare) return this.end(blender, `memory pressure (${Math.round(100 * mem.available / mem.total)}% available)`);
    this.idleTimers.set(blender, setTimeout(() => this.end(blender, 'idle'), this.limits.idleMs).unref());
  }

  /** Frees a place for a new Blender, ending the least recently used idle one if needed. */
  private makeRoom(): boolean {
    const live = [...this.blenders];
    if (live.length < this.limits.capacity) return true;
    const idle = live.filter((b) => !b.busy).sort((a, b) => a.lastUsedMs - b.lastUsedMs)[0];
    if (!idle) return false;
    this.end(idle, 'its slot is needed for another job');
    return true;
  }

  private unIdle(blender: WarmBlender): void {
    clearTimeout(this.idleTimers.get(blender));
    this.idleTimers.delete(blender);
  }

  private end(blender: WarmBlender, why: string): void {
    if (!this.blenders.delete(blender)) return;
    this.unIdle(blender);
    blender.stop();
    this.log(`warm Blender for job ${blender.job} (pid ${blender.pid ?? '-'}) ended: ${why}`);
  }
}
