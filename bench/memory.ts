// Memory of `render ui`: started in a private tmux server, its resident size read after 3 s, then the
// server killed. (An idle renderd's RSS is read by idle.ts while its calls are counted.)
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { DIST_SRC, RENDER_BIN, hasCommand, rssMiB, sleep } from './support.js';

const TMUX_SOCKET = 'renderd-bench';

function tmux(args: string[]): string {
  const result = spawnSync('tmux', ['-L', TMUX_SOCKET, ...args], { encoding: 'utf8' });
  return result.stdout ?? '';
}

/** The pane's process, or its descendant that runs `render ... ui` (tmux starts the command through sh). */
function findUiPid(panePid: number): number | undefined {
  const isUi = (pid: number) => {
    try { return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(RENDER_BIN); } catch { return false; }
  };
  if (isUi(panePid)) return panePid;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === panePid && isUi(Number(entry))) return Number(entry);
    } catch { /* the process ended meanwhile */ }
  }
  return undefined;
}

export interface UiMemory {
  available: boolean;
  rssMiB?: number;
  /** The first non-empty lines of the screen, to show it drew something (or why not). */
  screen: string;
}

export async function measureUiMemory(spool: string, afterMs = 3000): Promise<UiMemory> {
  if (!fs.existsSync(path.join(DIST_SRC, 'cli', 'commands', 'ui.js'))) return { available: false, screen: 'render ui is not built (no src/cli/commands/ui.ts)' };
  if (!hasCommand('tmux')) return { available: false, screen: 'tmux is not installed' };
  tmux(['kill-server']);
  try {
    tmux(['new-session', '-d', '-x', '120', '-y', '40', `${process.execPath} ${RENDER_BIN} --spool ${spool} ui`]);
    await sleep(afterMs);
    const panePid = Number(tmux(['list-panes', '-a', '-F', '#{pane_pid}']).trim().split('\n')[0]);
    const pid = Number.isFinite(panePid) && panePid > 0 ? findUiPid(panePid) : undefined;
    const rss = pid ? rssMiB(pid) : undefined;
    const screen = tmux(['capture-pane', '-p', '-t', '0']).split('\n').filter((l) => l.trim()).slice(0, 3).map((l) => l.trimEnd()).join(' | ');
    return { available: rss !== undefined, rssMiB: rss, screen: screen.slice(0, 240) };
  } finally {
    tmux(['kill-server']);
  }
}
