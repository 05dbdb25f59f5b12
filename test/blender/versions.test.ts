// Mixed Blender versions on one farm (issue 25) with two real Blenders (RENDER_TEST_BLENDERS): a file
// saved by the newer waits, with its reason in show and doctor, on a node that has only the older; a node
// offering both (`--blender V=PATH` twice) renders it with the newer, and a file of the older with the
// older, unless the job pins the newer (`render add --blender`). Bad versions: one line, exit 2.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import { renderJson, runRender, withFleet, withTempSpool, withTimeout, type TempSpool } from '../support/index.js';
import { makeTinyScene } from '../support/blender-scene.js';
import { twoBlenderVersions, type TestBlender } from '../support/blenders.js';
import { gate } from '../support/requires.js';
import { check, doctor } from '../doctor/run-doctor.js';

const pair = twoBlenderVersions();
const test = gate(suite('Blender versions'), 'a second Blender version', typeof pair === 'string' ? pair : null);
const TIMEOUT_MS = 300_000;
const LOCAL = ['--listen', '127.0.0.1:0', '--advertise', '127.0.0.1'];

const flagOf = (b: TestBlender) => ['--blender', `${b.version}=${b.path}`];
const logsOf = (tmp: TempSpool, id: string) => {
  const dir = tmp.path('spool', 'jobs', id, 'logs');
  return fs.readdirSync(dir).map((name) => fs.readFileSync(`${dir}/${name}`, 'utf8')).join('\n');
};

async function addScene(tmp: TempSpool, by: TestBlender, name: string, extra: string[] = []): Promise<string> {
  makeTinyScene(tmp.path(`${name}.blend`), 2, { blender: by.path });
  const added = await renderJson<{ id: string }>(tmp.spool, ['add', tmp.path(`${name}.blend`), '--chunk', '2', '--output', tmp.path(name, 'f_####'), ...extra]);
  return added.id;
}

test('a file of the newer Blender waits on a node with the older, saying why; a node with both renders it with the newer', async () => {
  const { older, newer } = pair as Exclude<typeof pair, string>;
  await withTimeout(TIMEOUT_MS, 'versions', () => withTempSpool(async (tmp) => {
    const id = await addScene(tmp, newer, 'new');
    const why = `needs Blender ≥ ${newer.version}; nodes have ${older.version}`;
    await withFleet(tmp.spool, async (fleet) => {
      const node = fleet.start('old', { extraArgs: [...flagOf(older), ...LOCAL] });
      await node.waitForLine(/ up: pid /, 60_000);
      const shown = await runRender(['--spool', tmp.spool, 'show', id]);
      assert.match(shown.stdout, `state queued (${why})`);
      const json = await renderJson<{ state: string; reason?: string }>(tmp.spool, ['show', id]);
      assert.equal([json.state, json.reason], ['queued', why]);
      const runnable = check((await doctor(tmp.spool)).json, 'farm.runnable');
      assert.match(runnable.found, `job ${id} can never run`);
      assert.match(runnable.advice, `${id}: ${why}: start a node with that Blender`);
    });
    await withFleet(tmp.spool, async (fleet) => {
      fleet.start('both', { exitWhenIdle: true, extraArgs: [...flagOf(older), ...flagOf(newer), '--warm-idle', '0'] });
      const waited = await runRender(['--spool', tmp.spool, 'wait', id], { timeoutMs: 240_000 });
      assert.is(waited.code, 0, `render wait: ${waited.stderr}\n${fleet.logs()}`);
    });
    assert.match(logsOf(tmp, id), `render-blender: ${newer.path} -b`);
  }));
});

test('a file of the older Blender renders with the older where both are offered, with the newer when pinned', async () => {
  const { older, newer } = pair as Exclude<typeof pair, string>;
  await withTimeout(TIMEOUT_MS, 'versions pinned', () => withTempSpool(async (tmp) => {
    const plain = await addScene(tmp, older, 'plain');
    const pinned = await addScene(tmp, older, 'pinned', ['--blender', newer.version!]);
    await withFleet(tmp.spool, async (fleet) => {
      fleet.start('both', { exitWhenIdle: true, extraArgs: [...flagOf(older), ...flagOf(newer), '--warm-idle', '0'] });
      for (const id of [plain, pinned]) {
        const waited = await runRender(['--spool', tmp.spool, 'wait', id], { timeoutMs: 240_000 });
        assert.is(waited.code, 0, `render wait: ${waited.stderr}\n${fleet.logs()}`);
      }
    });
    assert.match(logsOf(tmp, plain), `render-blender: ${older.path} -b`);
    assert.match(logsOf(tmp, pinned), `render-blender: ${newer.path} -b`);
  }));
});

test('bad versions: a pin older than the file, a pin that is no version, a --blender label that lies — one line, exit 2', async () => {
  const { older, newer } = pair as Exclude<typeof pair, string>;
  await withTimeout(TIMEOUT_MS, 'versions bad input', () => withTempSpool(async (tmp) => {
    makeTinyScene(tmp.path('new.blend'), 2, { blender: newer.path });
    const cases: [string[], string][] = [
      [['add', tmp.path('new.blend'), '--blender', older.version!], `render: --blender ${older.version}: ${tmp.path('new.blend')} was saved by Blender ${newer.version}, which ${older.version} cannot open\n`],
      [['add', tmp.path('new.blend'), '--blender', 'latest'], `render: --blender takes a Blender version as MAJOR.MINOR (e.g. 4.5), got 'latest'\n`],
    ];
    for (const [args, message] of cases) {
      const result = await runRender(['--spool', tmp.spool, ...args]);
      assert.equal([result.code, result.stderr], [2, message]);
    }
    assert.equal(await renderJson<unknown[]>(tmp.spool, ['list']), []);
    await withFleet(tmp.spool, async (fleet) => {
      const liar = fleet.start('liar', { extraArgs: ['--blender', `9.9=${older.path}`] });
      assert.equal(await liar.exited, { code: 2, signal: null });
      assert.match(liar.stderr, new RegExp(`^renderd: --blender 9\\.9=\\S+: that Blender is ${older.version!.replace('.', '\\.')}\\.\\d+, not 9\\.9\\n$`));
    });
  }));
});

test.run();
