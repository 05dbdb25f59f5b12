// The hook launcher (launcher.pl): renderd hands it each hook to fork, and reads back pids, output and
// exit statuses over one pipe. Forking a large Node process costs milliseconds of page-table copying and
// copy-on-write faults per hook; forking a small Perl process costs a tenth of that. The launcher is
// also the guard: if renderd dies, it kills every hook group it started (see launcher.pl).
import fs from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { constants } from 'node:os';
import { libexecPath } from './defaults.js';
import { ioniceArgv } from './priority.js';
import { currentLeases, GUARD_MARK_VAR, leasedMark, onLeaseRenewed } from '../liveness/lease.js';


const PERL = process.env.RENDERD_DIRECT_SPAWN ? undefined : ['/usr/bin/perl', '/bin/perl'].find((p) => fs.existsSync(p));

export interface LaunchedHook {
  /** The hook's pid, which is also its process group; undefined if it could not be started. */
  pid: number | undefined;
  /** Resolves once the hook ended and all of its output was delivered. */
  ended: Promise<LaunchEnd>;
}

/** `leaseExpired`: killed (or never started) because its lease ran out (see lease.ts). */
export interface LaunchEnd { code: number | null; signal: NodeJS.Signals | null; leftovers: boolean; leaseExpired?: boolean }

export interface LaunchRequest {
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  /** The lease the hook runs under: the launcher kills it when that lease runs out. */
  lease?: string;
  onStdout(data: Buffer): void;
  onStderr(data: Buffer): void;
}

interface Pending {
  request: LaunchRequest;
  pid?: number;
  started: (pid: number) => void;
  ended: (result: LaunchEnd) => void;
}

const SIGNAL_NAMES = Object.fromEntries(Object.entries(constants.signals).map(([name, number]) => [number, name as NodeJS.Signals]));

export class HookLauncher {
  readonly mark = { name: GUARD_MARK_VAR, value: randomBytes(8).toString('hex') };
  private child: ChildProcess | undefined;
  private readonly pending = new Map<string, Pending>();
  private nextId = 1;
  private buffer: Buffer = Buffer.alloc(0);

  /** Hooks run at niceness `nice` (set by the launcher on itself) and, through ionice, yield the disk. */
  constructor(private readonly nice: number, private readonly ioIdle: boolean) {
    onLeaseRenewed((key, validMs) => {
      if (this.child && this.child.exitCode === null) this.child.stdin!.write(leaseLine(key, validMs));
    });
  }

  static available(): boolean {
    return PERL !== undefined;
  }

  /** Starts the launcher now rather than at the first hook. */
  start(): void {
    this.ensure();
  }

  private ensure(): ChildProcess {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) return this.child;
    // -t: where the IO priority cannot be set (some containers), start the launcher anyway
    const io = ioniceArgv(this.nice, this.ioIdle, ['-t']);
    const [file, ...args] = [...io, PERL!, libexecPath('launcher.pl'), `${this.mark.name}=${this.mark.value}`, String(this.nice)];
    // detached: a signal to renderd's process group must not take the launcher (the guard) with it
    const child = spawn(file!, args, {
      detached: true,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    child.on('error', () => undefined);
    child.stdin!.on('error', () => undefined);
    child.stdout!.on('data', (data: Buffer) => this.receive(data));
    child.on('exit', () => this.lost(child));
    this.child = child;
    this.holdOpen(false);
    this.buffer = Buffer.alloc(0);
    // a launcher (re)started knows every lease still valid before its first hook
    for (const [key, remainingMs] of currentLeases()) child.stdin!.write(leaseLine(key, remainingMs));
    return child;
  }

  /** Only running hooks keep this process alive; when it exits, the launcher sees its stdin close and exits too. */
  private holdOpen(hold: boolean): void {
    const child = this.child;
    if (!child) return;
    for (const handle of [child, child.stdin, child.stdout] as unknown as { ref?: () => void; unref?: () => void }[]) {
      if (hold) handle.ref?.(); else handle.unref?.();
    }
  }

  launch(request: LaunchRequest): Promise<LaunchedHook> {
    const child = this.ensure();
    if (this.pending.size === 0) this.holdOpen(true);
    const id = String(this.nextId++);
    const fields = [request.cwd, String(request.argv.length), ...request.argv,
      ...Object.entries({ ...request.env, [this.mark.name]: leasedMark(this.mark.value, request.lease) }).map(([k, v]) => `${k}=${v}`)];
    const payload = Buffer.from(fields.join('\0') + '\0');
    return new Promise((resolve) => {
      let resolveEnded!: Pending['ended'];
      const ended = new Promise<Parameters<Pending['ended']>[0]>((r) => { resolveEnded = r; });
      this.pending.set(id, {
        request,
        started: (pid) => resolve({ pid, ended }),
        ended: (result) => {
          resolve({ pid: undefined, ended }); // no-op if started already
          resolveEnded(result);
        },
      });
      child.stdin!.write(Buffer.concat([Buffer.from(`S ${id} ${payload.length}${request.lease ? ` ${request.lease}` : ''}\n`), payload]));
    });
  }

  /** Frames: "P id pid", "O|R id len" + bytes, "D id dropped-bytes", "X id code signal leftovers [lease]". */
  private receive(data: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, data]) : data;
    for (;;) {
      const newline = this.buffer.indexOf(10);
      if (newline < 0) return;
      const [kind, id, a, b, c, d] = this.buffer.subarray(0, newline).toString('latin1').split(' ');
      const hook = this.pending.get(id!);
      if (kind === 'D') {
        this.buffer = this.buffer.subarray(newline + 1);
        hook?.request.onStderr(Buffer.from(`renderd: ${a} bytes of this hook's output were dropped (renderd could not read them in time)\n`));
        continue;
      }
      if (kind === 'O' || kind === 'R') {
        const length = Number(a);
        if (this.buffer.length < newline + 1 + length) return;
        const bytes = this.buffer.subarray(newline + 1, newline + 1 + length);
        this.buffer = this.buffer.subarray(newline + 1 + length);
        if (kind === 'O') hook?.request.onStdout(bytes); else hook?.request.onStderr(bytes);
        continue;
      }
      this.buffer = this.buffer.subarray(newline + 1);
      if (!hook) continue;
      if (kind === 'P') {
        hook.pid = Number(a);
        hook.started(hook.pid);
      }
      if (kind === 'X') {
        this.pending.delete(id!);
        if (this.pending.size === 0) this.holdOpen(false);
        hook.ended({ code: a === '-' ? null : Number(a), signal: b === '-' ? null : (SIGNAL_NAMES[Number(b)] ?? null), leftovers: c === '1', leaseExpired: d === 'lease' });
      }
    }
  }

  /** The launcher died (killed from outside): kill its hooks ourselves and report them ended. */
  private lost(child: ChildProcess): void {
    if (this.child !== child) return;
    this.child = undefined;
    for (const [id, hook] of this.pending) {
      this.pending.delete(id);
      try { if (hook.pid) process.kill(-hook.pid, 'SIGKILL'); } catch { /* already gone */ }
      hook.ended({ code: null, signal: 'SIGKILL', leftovers: false });
    }
  }
}

/**
 * A lease renewal as the launcher reads it: an absolute deadline on CLOCK_MONOTONIC (what hrtime reads, and
 * Perl's CLOCK_MONOTONIC), so time the line spends waiting in the pipe counts against the lease.
 */
function leaseLine(key: string, validMs: number): string {
  const nowMs = Number(process.hrtime.bigint() / 1_000_000n);
  return `L ${key} ${Math.floor(nowMs + validMs)}\n`;
}

const launchers = new Map<string, HookLauncher>();

/** This process's launcher for hooks of that priority, started on first use; undefined where there is no Perl. */
export function hookLauncher(nice: number, ioIdle = false): HookLauncher | undefined {
  if (!HookLauncher.available()) return undefined;
  const key = `${nice}/${ioIdle}`;
  let launcher = launchers.get(key);
  if (!launcher) launchers.set(key, launcher = new HookLauncher(nice, ioIdle));
  return launcher;
}
