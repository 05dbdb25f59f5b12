// Acting on many jobs at once in `render ui`, through real keys in tmux: `*` marks every job shown,
// Space unmarks one, shift+Down marks while moving, and p, + and d act on all marked jobs after one
// confirmation, as the spool then shows.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTempSpool, renderJson, runRender, waitUntil, withTimeout, RENDER_BIN } from '../support/index.js';
import { Tmux, STEP_MS } from './tmux.js';

interface ListedJob { id: string; name: string; paused: boolean; priority: number }

test('marks and bulk pause, priority and remove through tmux keys', () => withTimeout(120_000, 'ui bulk', async () => {
  const temp = await makeTempSpool('renderd-uibulk-');
  const tmux = new Tmux();
  try {
    const { spool } = temp;
    for (const name of ['bulk-a', 'bulk-b', 'bulk-c', 'bulk-d']) {
      const queued = await runRender(['--spool', spool, 'exec', '--json', '--paused', '--name', name, '--frames', '1-2', '--', 'true']);
      assert.is(queued.code, 0, queued.stderr);
    }
    const jobs = async () => new Map((await renderJson<ListedJob[]>(spool, ['list'])).map((j) => [j.name, j]));
    const settled = (what: string, check: (byName: Map<string, ListedJob>) => boolean) =>
      waitUntil(what, async () => (check(await jobs()) ? true : undefined), STEP_MS, 100);

    await tmux.start(100, 30, { LANG: 'C.UTF-8', TERM: 'screen', PS1: 'bulk$ ' });
    await tmux.type(`${process.execPath} ${RENDER_BIN} --spool ${spool} ui`);
    await tmux.until('four jobs', /bulk-a/, /bulk-d/);

    await tmux.keys('*');
    await tmux.until('all four marked', /4 marked/, /\* bulk-a/, /\* bulk-d/);
    await tmux.keys('p');
    await tmux.until('one confirmation for the four', /Resume 4 marked job\(s\)/);
    await tmux.keys('y');
    await settled('all four resumed', (byName) => [...byName.values()].every((j) => !j.paused));

    await tmux.keys('*'); // all marked again: none
    await tmux.until('no marks', /jobs 4 · farm order ─/);
    await tmux.keys('g', 'Space');
    const one = await tmux.until('one marked', /1 marked/);
    const first = /\* (bulk-\w)/.exec(one)![1];
    await tmux.keys('S-Down');
    const three = await tmux.until('shift+down marks the next too', /3 marked/);
    const marked = [...three.matchAll(/\* (bulk-\w)/g)].map((m) => m[1]);
    assert.is(marked.length, 3);
    assert.ok(marked.includes(first));
    await tmux.keys('+');
    await tmux.until('confirm the priority', /Raise the priority of 3 marked/);
    await tmux.keys('y');
    await settled('three jobs at priority 1', (byName) => marked.every((n) => byName.get(n)!.priority === 1) && [...byName.values()].filter((j) => j.priority === 1).length === 3);

    await tmux.keys('d');
    await tmux.until('confirm the removal', /Remove 3 marked job\(s\)/);
    await tmux.keys('n');
    await tmux.until('kept', /nothing done/);
    assert.is((await jobs()).size, 4);
    await tmux.keys('d');
    await tmux.until('confirm the removal again', /Remove 3 marked job\(s\)/);
    await tmux.keys('y');
    await settled('only the unmarked job left', (byName) => byName.size === 1 && !marked.some((n) => byName.has(n)));
    await tmux.until('marks gone with their jobs', /jobs 1 · farm order ─/);
    await tmux.keys('q');
    await tmux.until('the shell back', /bulk\$\s*$/);
  } finally {
    await tmux.kill();
    await temp.cleanup();
  }
}));

test.run();
