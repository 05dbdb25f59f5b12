// Starting and stopping real `renderd` processes. Every process started here is killed when the fleet
// is stopped — and, as a last resort, when the test process exits — so a failed assertion leaks nothing.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import { RENDERD_BIN } from './paths.js';
import { waitUntil } from './wait.js';

/** Debian's libfaketime: preloaded into one node to skew its wall clock (hooks inherit it). */
export const LIBFAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';

export interface NodeOptions {
  slots?: number;
  pollMs?: number;
  exitWhenIdle?: boolean;
  /** A libfaketime offset such as '+10m' or '-10m' for this node's clock. */
  faketime?: string;
  extraArgs?: string[];
  /** Added to the node's environment. */
  env?: Record<string, string>;
  /**
   * Run the node in a pid namespace of its own (unshare): other nodes cannot check its pid and must judge
   * it by its heartbeat, as if it were on another host. Needs root or user namespaces.
   */
  ownPidNamespace?: boolean;
  /** Run the node as this user (the test must run as root): nodes of an ordinary user meeting others' files. */
  user?: { uid: number; gid: number };
}

export interface Exit { code: number | null; signal: NodeJS.Signals | null }

export class NodeProcess {
  stderr = '';
  stdout = '';
  readonly exited: Promise<Exit>;
  exit: Exit | undefined;

  constructor(readonly name: string, readonly child: ChildProcess, readonly isolated = false) {
    child.stderr?.setEncoding('utf8').on('data', (text: string) => { this.stderr += text; });
    child.stdout?.setEncoding('utf8').on('data', (text: string) => { this.stdout += text; });
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => {
      this.exit = { code, signal };
      resolve(this.exit);
    }));
  }

  get pid(): number { return this.child.pid!; }
  get running(): boolean { return this.exit === undefined; }

  /** The renderd process itself (inside its namespace, when isolated). */
  async nodePid(): Promise<number> {
    if (!this.isolated) return this.pid;
    return waitUntil(`${this.name}'s renderd inside its pid namespace`, async () => {
      const children = (await fs.readFile(`/proc/${this.pid}/task/${this.pid}/children`, 'utf8').catch(() => '')).trim();
      return children ? Number(children.split(' ')[0]) : undefined;
    }, 5000, 20);
  }

  /** Signals renderd itself (not the unshare wrapper of an isolated node). */
  async kill(signal: NodeJS.Signals): Promise<void> {
    if (!this.running) return;
    const pid = this.isolated ? await this.nodePid().catch(() => this.pid) : this.pid;
    try { process.kill(pid, signal); } catch { /* already gone */ }
  }

  /** Log lines (stderr) matching `pattern`. */
  lines(pattern: RegExp): string[] {
    return this.stderr.split('\n').filter((line) => pattern.test(line));
  }

  /** Waits until the node has logged a line matching `pattern`; returns it. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<string> {
    return waitUntil(`${this.name} to log ${pattern}`, () => this.lines(pattern)[0], timeoutMs, 50);
  }

  async waitExit(timeoutMs: number): Promise<Exit> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([this.exited, new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`node ${this.name} (pid ${this.pid}) did not exit within ${timeoutMs} ms\n${this.stderr.slice(-2000)}`)), timeoutMs);
      })]);
    } finally {
      clearTimeout(timer);
    }
  }
}

const live = new Set<NodeProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const node of live) try { node.child.kill('SIGKILL'); } catch { /* already gone */ }
  });
}

/** Whether this machine lets us start a node in its own pid namespace. */
export function canUnsharePids(): boolean {
  try {
    execFileSync('unshare', ['--pid', '--fork', '--mount-proc', 'true'], { stdio: 'ignore', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

export class Fleet {
  readonly nodes: NodeProcess[] = [];

  constructor(readonly spool: string) {
    installExitHook();
  }

  start(name: string, options: NodeOptions = {}): NodeProcess {
    const args = [RENDERD_BIN, '--spool', this.spool, '--node', name, '--slots', String(options.slots ?? 1), '--poll', String(options.pollMs ?? 200)];
    if (options.exitWhenIdle) args.push('--exit-when-idle');
    args.push(...(options.extraArgs ?? []));
    const env = { ...process.env, ...options.env };
    if (options.faketime) Object.assign(env, { LD_PRELOAD: LIBFAKETIME, FAKETIME: options.faketime, FAKETIME_DONT_RESET: '1' });
    // --kill-child: the node dies with its wrapper, even when the wrapper is SIGKILLed by stopAll()
    const [file, argv] = options.ownPidNamespace
      ? ['unshare', ['--pid', '--fork', '--mount-proc', '--kill-child=SIGKILL', process.execPath, ...args]]
      : [process.execPath, args];
    const child = spawn(file, argv, { env, stdio: ['ignore', 'pipe', 'pipe'], ...options.user });
    const node = new NodeProcess(name, child, Boolean(options.ownPidNamespace));
    live.add(node);
    void node.exited.then(() => live.delete(node));
    this.nodes.push(node);
    return node;
  }

  running(): NodeProcess[] {
    return this.nodes.filter((n) => n.running);
  }

  /** SIGKILLs every node still running and waits for each to be gone. */
  async stopAll(): Promise<void> {
    for (const node of this.nodes) if (node.running) node.child.kill('SIGKILL');
    await Promise.all(this.nodes.map((n) => n.exited));
  }

  /** Everything every node logged, for failure messages. */
  logs(): string {
    return this.nodes.map((n) => `--- ${n.name} (pid ${n.pid}, exit ${JSON.stringify(n.exit)})\n${n.stderr}`).join('\n');
  }
}

/** Runs fn with a fleet on `spool`, killing every node it started afterwards, even when fn throws. */
export async function withFleet<T>(spool: string, fn: (fleet: Fleet) => Promise<T>): Promise<T> {
  const fleet = new Fleet(spool);
  try {
    return await fn(fleet);
  } finally {
    await fleet.stopAll();
  }
}
