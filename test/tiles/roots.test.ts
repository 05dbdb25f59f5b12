// Paths per machine (roots.json): a node that mounts the project elsewhere renders its tiles and merges
// the frame at its own mount, as it does for a job split by frames.
import { test as uvuTest } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs/promises';
import { renderJson, runRender, withFleet, withTempSpool, withTimeout } from '../support/index.js';
import { gate, missingCommand } from '../support/requires.js';
import { makeStill } from './scenes.js';

// real Blender: a counted skip without it (a failure under CI=true)
const test = gate(uvuTest, 'Blender', missingCommand('blender', 'apt-get install blender'));

test('tiles and merge of a job under a project root land at the node\'s own mount', async () => {
  await withTimeout(150_000, 'tiles under a root', () => withTempSpool(async (tmp) => {
    // the submitter sees the project at projA, node r1 at projB (here a link to the same folder)
    await fs.mkdir(tmp.path('projA'));
    await fs.symlink(tmp.path('projA'), tmp.path('projB'));
    makeStill(tmp.path('projA', 'still.blend'), { width: 32, height: 18 });
    await renderJson(tmp.spool, ['list']);
    await fs.writeFile(`${tmp.spool}/roots.json`, JSON.stringify({ roots: [{ name: 'p', linux: tmp.path('projA'), nodes: { r1: tmp.path('projB') } }] }));
    const added = await renderJson<{ id: string; tiles: { id: string } }>(tmp.spool,
      ['add', tmp.path('projA', 'still.blend'), '--tiles', '2x2', '--overscan', '2', '--output', tmp.path('projA', 'out', 'f_####')]);
    await withFleet(tmp.spool, async (fleet) => {
      fleet.start('r1', { exitWhenIdle: true, slots: 2 });
      const waited = await runRender(['--spool', tmp.spool, 'wait', added.id], { timeoutMs: 120_000 });
      assert.is(waited.code, 0, `${waited.stderr}\n${fleet.logs()}`);
    });
    const tileLog = (await runRender(['--spool', tmp.spool, 'log', added.tiles.id, '0001'])).stdout;
    assert.match(tileLog, new RegExp(`Saved: '${tmp.path('projB', 'out')}/\\.tiles-${added.tiles.id}/t0_0001\\.png'`));
    const mergeLog = (await runRender(['--spool', tmp.spool, 'log', added.id, '0001'])).stdout;
    assert.match(mergeLog, new RegExp(`Saved: '${tmp.path('projB', 'out', 'f_0001.png')}'`));
    await fs.access(tmp.path('projA', 'out', 'f_0001.png'));
  }));
});

test.run();
