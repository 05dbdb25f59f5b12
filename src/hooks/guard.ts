// Where there is no Perl for the launcher: one long-lived guard per process that runs hooks. When that
// process dies, even by SIGKILL, the guard's stdin pipe closes; the guard then kills every hook
// process group it was told about and every process still carrying its mark in its environment.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';

import { currentLeases, GUARD_MARK_VAR, onLeaseRenewed } from '../liveness/lease.js';

/**
 * stdin lines: `+PGID:LEASE` a hook group started (LEASE may be empty), `-PGID` it ended, `L LEASE MS` the
 * lease is valid for MS more. EOF: the parent is gone. The mark is searched for in /proc until no process
 * has it (a killed parent's children may fork once more). Leases are timed on /proc/uptime (the boot
 * clock, in hundredths): a timer per renewal signals USR1 at its deadline (twice, in case the signal
 * lands between two reads), and the groups of every lease that ran out are killed, with the processes
 * carrying that lease's mark. `read` interrupted by the signal fails without EOF: `fired` tells them apart.
 */
const GUARD_SCRIPT = `
mark=$1; groups=' '; leases=' '; fired=
trap 'fired=1' USR1
now() { read -r up rest < /proc/uptime; up=\${up%.*}\${up#*.}; up=\${up#"\${up%%[!0]*}"}; echo "\${up:-0}"; }
kill_marked() {
  i=0
  while [ $i -lt 20 ]; do
    pids=$(grep -lzxE "$1" /proc/[0-9]*/environ 2>/dev/null | sed 's|^/proc/\\([0-9]*\\)/environ$|\\1|')
    [ -n "$pids" ] || break
    kill -KILL $pids 2>/dev/null
    i=$((i+1))
  done
}
expire() {
  t=$(now); kept=' '
  for l in $leases; do
    k=\${l%%:*}
    if [ "$t" -ge "\${l#*:}" ]; then
      for g in $groups; do case $g in *":$k") kill -KILL -"\${g%%:*}" 2>/dev/null ;; esac; done
      kill_marked "$mark\\.$k"
    else
      kept="$kept$l "
    fi
  done
  leases=$kept
}
while :; do
  [ -n "$fired" ] && { fired=; expire; }
  if IFS= read -r line; then
    case $line in
      +*) groups="$groups\${line#+} " ;;
      -*) p=\${line#-}; kept=' '; for g in $groups; do [ "\${g%%:*}" = "$p" ] || kept="$kept$g "; done; groups=$kept ;;
      L*) set -- $line; kept=' '; for l in $leases; do [ "\${l%%:*}" = "$2" ] || kept="$kept$l "; done
          leases="$kept$2:$(( $(now) + $3 / 10 )) "
          ( sleep "$(( $3 / 1000 )).$(( $3 % 1000 / 100 ))$(( $3 % 100 / 10 ))$(( $3 % 10 ))"; kill -USR1 $$; sleep 1; kill -USR1 $$ ) & ;;
    esac
  elif [ -z "$fired" ]; then
    break
  fi
done
for g in $groups; do kill -KILL -"\${g%%:*}" 2>/dev/null; done
kill_marked "$mark(\\..*)?"
`;

export class HookGuard {
  /** The `NAME=value` pair hooks carry. */
  readonly mark: { name: string; value: string };
  private child: ChildProcess | undefined;

  constructor() {
    this.mark = { name: GUARD_MARK_VAR, value: randomBytes(8).toString('hex') };
    onLeaseRenewed((key, validMs) => {
      if (this.child?.stdin?.writable) this.child.stdin.write(`L ${key} ${Math.floor(validMs)}\n`);
    });
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
    for (const [key, remainingMs] of currentLeases()) child.stdin!.write(`L ${key} ${remainingMs}\n`);
    return child;
  }

  /** Call right after a hook's group starts (its leader's pid), with the lease it runs under. */
  track(pgid: number, lease = ''): void {
    this.ensure().stdin!.write(`+${pgid}:${lease}\n`);
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
