// `render ui` on a real terminal: tmux runs it at 100x30 against a spool made by the real
// `render exec --paused` and watched by a real renderd. The screen must show the job and the node's
// swap figure, `+` must raise the priority on the spool, a click must focus the pane under it, a resize
// must redraw for the new size, and `q` must give the shell back with the terminal as it was.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatBytes } from '../../src/tui/model/text.js';
import { makeTempSpool, renderJson, runRender, sleep, waitUntil, withTimeout, RENDER_BIN, RENDERD_BIN, type TempSpool } from '../support/index.js';

import { Tmux, STEP_MS } from './tmux.js';

const PROMPT = 'ui-test$ ';


async function startNode(spool: string, name: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [RENDERD_BIN, '--spool', spool, '--node', name, '--poll', '200'], { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr!.resume();
  await waitUntil(`node ${name} registered`, async () => {
    const nodes = await renderJson<{ name: string; sys?: unknown }[]>(spool, ['nodes']);
    return nodes.some((n) => n.name === name && n.sys) || undefined;
  }, STEP_MS, 200);
  return child;
}

async function stopNode(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

test('render ui in tmux: job and node shown, + raises priority, a click focuses, resize redraws, q restores the shell', () => withTimeout(90_000, 'ui in tmux', async () => {
  let temp: TempSpool | undefined;
  let node: ChildProcess | undefined;
  const tmux = new Tmux();
  try {
    temp = await makeTempSpool('renderd-ui-');
    const { spool } = temp;
    const queued = await runRender(['--spool', spool, 'exec', '--json', '--paused', '--name', 'tmux-job', '--frames', '1-4', '--chunk', '2', '--', 'true']);
    assert.is(queued.code, 0, queued.stderr);
    const job = JSON.parse(queued.stdout) as { id: string };
    node = await startNode(spool, 'tmuxnode');
    const [record] = (await renderJson<{ name: string; sys: { swap: { used: number; total: number } } }[]>(spool, ['nodes'])).filter((n) => n.name === 'tmuxnode');
    const swap = `${formatBytes(record.sys.swap.used)}/${formatBytes(record.sys.swap.total)}`;

    await tmux.start(100, 30, { PS1: PROMPT, LANG: 'C.UTF-8', TERM: 'screen' });
    await tmux.until('the shell prompt', new RegExp(escape(PROMPT.trim())));
    const before = temp.path('stty-before');
    const after = temp.path('stty-after');
    await tmux.type(`stty -g > ${before}; ${process.execPath} ${RENDER_BIN} --spool ${spool} ui; echo ui-exit=$?; stty -g > ${after}`);

    const screen = await tmux.until('the job and the node on screen', /tmux-job/, /paused/, /tmuxnode/, /SWAP/, new RegExp(escape(swap)));
    assert.ok(screen.split('\n').every((line) => line.length <= 100), 'nothing wider than the terminal');
    assert.match(screen, /renderd · 1 jobs?:/);

    await tmux.keys('+');
    await waitUntil('priority 1 on the spool', async () => (await renderJson<{ priority: number }>(spool, ['show', job.id])).priority === 1 || undefined, STEP_MS, 100);
    await tmux.until('the status line says so', /tmux-job: priority 1/);

    // a click (X10 mouse bytes, as a terminal sends them) on the nodes pane focuses it
    const nodesRow = screen.split('\n').findIndex((line) => line.includes('tmuxnode'));
    await tmux.click(10, nodesRow);
    await tmux.until('the nodes pane focused by the click', /─ > nodes/);

    await tmux.cmd('resize-window', '-t', '0', '-x', '80', '-y', '24');
    const small = await tmux.until('80x24 redrawn', /tmux-job/, /tmuxnode/);
    const smallLines = small.replace(/\n+$/, '').split('\n');
    assert.ok(smallLines.length <= 24 && smallLines.every((line) => line.length <= 80), 'fits 80x24');
    await tmux.cmd('resize-window', '-t', '0', '-x', '120', '-y', '45');
    await tmux.until('all four panes at 120x45', /chunks of tmux-job/, /log/, /tmuxnode/);

    await tmux.keys('q');
    const back = await tmux.until('the shell back after q', /ui-exit=0/, new RegExp(`${escape(PROMPT.trim())}\\s*$`));
    assert.not.match(back, /tmuxnode/, 'the ui\'s screen is gone (alternate screen left)');
    await waitUntil('stty saved after', () => fs.stat(after).then(() => true, () => undefined), STEP_MS);
    assert.is(await fs.readFile(after, 'utf8'), await fs.readFile(before, 'utf8'), 'terminal modes as before');
  } finally {
    await tmux.kill();
    await stopNode(node);
    await temp?.cleanup();
  }
}));

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

test.run();
