import path from 'node:path';
import fs from 'node:fs/promises';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { farmActions } from '../../../src/tui/farm/actions.js';
import { readJob, listJobIds } from '../../../src/jobs/read.js';
import { renderJson, withTimeout } from '../../support/index.js';
import { openTestFarm, queueJob, settleChunk } from './context.js';
import { FIXTURES_DIR } from '../../support/paths.js';

const BLEND = path.join(FIXTURES_DIR, 'gltf_v303_21_scene.blend');

test('priority steps from the spool\'s value, so quick presses add up', () => withTimeout(20_000, 'priority', async () => {
  const { ctx, temp } = await openTestFarm();
  try {
    const id = await queueJob(ctx, 'shot', 2, 3);
    const actions = farmActions(ctx, temp.dir);
    // one after the other, as the ui's action queue runs them
    assert.is(await actions.changePriority(id, 1), 'shot: priority 4');
    assert.is(await actions.changePriority(id, 1), 'shot: priority 5');
    assert.is(await actions.changePriority(id, 1), 'shot: priority 6');
    assert.is((await readJob(ctx, id))!.priority, 6);
    assert.is(await actions.changePriority(id, -10), 'shot: priority -4');
  } finally {
    await temp.cleanup();
  }
}));

test('pause, resume, retry, remove, node control: the messages the status line shows', () => withTimeout(20_000, 'actions', async () => {
  const { ctx, temp } = await openTestFarm();
  try {
    const id = await queueJob(ctx, 'shot', 2);
    await settleChunk(ctx, id, '0001', 'failed', new Date().toISOString(), new Date().toISOString());
    const actions = farmActions(ctx, temp.dir);
    assert.is(await actions.setPaused(id, true), 'shot: paused');
    assert.is((await readJob(ctx, id))!.paused, true);
    assert.is(await actions.setPaused(id, false), 'shot: resumed');
    assert.is(await actions.retry(id), 'shot: 1 failed chunk(s) queued again');
    assert.match(await actions.controlNode('n1', 'draining'), /^n1: draining/);
    assert.equal(JSON.parse(await fs.readFile(ctx.layout.controlFile('n1'), 'utf8')).state, 'draining');
    assert.is(await actions.remove(id), 'shot: removed');
    assert.equal(await listJobIds(ctx), []);
    await actions.remove(id).then(() => assert.unreachable('removing a gone job'), (error: Error) => assert.match(error.message, /gone/));
  } finally {
    await temp.cleanup();
  }
}));

test('a: `render add FILE` with its defaults, scene and frames from the file', () => withTimeout(20_000, 'add', async () => {
  const { ctx, temp } = await openTestFarm();
  try {
    const message = await farmActions(ctx, temp.dir).addBlend(BLEND);
    assert.match(message, /gltf_v303_21_scene: scene Scene, 10 frame\(s\) in 1 chunk\(s\)$/);
    const [id] = await listJobIds(ctx);
    const job = (await readJob(ctx, id))!;
    assert.equal([job.kind, job.file, job.scene, job.frames, job.priority, job.retries], ['blender', BLEND, 'Scene', '1-10', 0, 2]);
    // the same job as `render add FILE` queues: one pipeline, the same defaults
    const added = await renderJson<{ id: string }>(ctx.layout.root, ['add', BLEND], { cwd: temp.dir });
    const { id: _a, createdAt: _b, ...fromKey } = job;
    const { id: _c, createdAt: _d, ...fromCli } = (await readJob(ctx, added.id))!;
    assert.equal(fromKey, fromCli);
    await farmActions(ctx, temp.dir).addBlend(temp.path('missing.blend')).then(() => assert.unreachable('a missing file'), (error: Error) => assert.match(error.message, /missing\.blend/));
  } finally {
    await temp.cleanup();
  }
}));

test.run();
