// Where there is no Perl for the launcher: one long-lived guard per process that runs hooks. When that
// process dies, even by SIGKILL, the guard's stdin pipe closes; the guard then kills every hook
// process group it was told about and every process still carrying its mark in its environment.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';

import { GUARD_MARK_VAR } from './launcher.js';

/**
 * stdin lines: `+PGID` a hook group started, `-PGID` it ended. EOF: the parent is gone. The mark is
 * searched for in /proc until no process has it (a killed parent's children may fork once more).
 */
const GUARD_SCRIPT = `
mark=$1; groups=' '
while IFS= read -r line; do
  case $line in
    +*) groups="$groups\${line#+} " ;;
    -*) g=\${line#-}; case $groups in *" $g "*) groups="\${groups%% $g *} \${groups#* $g }" ;; esac ;;
  esac
done
for g in $groups; do kill -KILL -"$g" 2>/dev/null; done
i=0
while [ $i -lt 20 ]; do
  pids=$(grep -lzxF "$mark" /proc/[0-9]*/environ 2>/dev/null | sed 's|^/proc/\\([0-9]*\\)/environ$|\\1|')
  [ -n "$pids" ] || break
  kill -KILL $pids 2>/dev/null
  i=$((i+1))
done
`;

export class HookGuard {
  /** The `NAME=value` pair hooks carry. */
  readonly mark: { name: string; value: string };
  private child: ChildProcess | undefined;

  constructor() {
    this.mark = { name: GUARD_MARK_VAR, value: randomBytes(8).toString('hex') };
  }

  /** Starts the guard if it is not running (again, if something killed it): call before spawning a hook. */
  ensure(): ChildProcess {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) return this.child;
    // detached: a signal to the parent's process group must not take the guard with it
    const child = spawn('/bin/sh', ['-c', GUARD_SCRIPT, 'renderd-guard', `${this.mark.name}=${this.mark.value}`], {
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    child.on('error', () => undefined);
    child.stdin!.on('error', () => undefined); // EPIPE if the guard was killed: the next call restarts it
    // the guard must never keep the parent alive: its pipe closes when the parent exits
    child.unref();
    (child.stdin as unknown as { unref?: () => void }).unref?.();
    this.child = child;
    return child;
  }

  /** Call right after a hook's group starts (its leader's pid). */
  track(pgid: number): void {
    this.ensure().stdin!.write(`+${pgid}\n`);
  }

  /** Call once the group is gone, so a reused pid is never killed. */
  untrack(pgid: number): void {
    const child = this.child;
    if (child?.stdin?.writable) child.stdin.write(`-${pgid}\n`);
  }

  /** The guard's pid (tests). */
  get pid(): number | undefined {
    return this.ensure().pid;
  }
}

let shared: HookGuard | undefined;

/** The guard of this process; started on first use. */
export function hookGuard(): HookGuard {
  shared ??= new HookGuard();
  return shared;
}
