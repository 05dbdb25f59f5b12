// One submission pipeline: `render submit`, `render exec` and Spool.submit resolve relative paths and
// store paths under a project root in root form exactly as `render add` does, preflight a .blend's
// reach when asked, and every way in keeps the same domain bounds (one line, exit 2, nothing queued).
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Job, Spool, UsageError } from '../../src/index.js';
import { listJobIds, readJob } from '../../src/jobs/read.js';
import { renderJson, runRender, withTempSpool, writeScript, withTimeout, type TempSpool } from '../support/index.js';
import { FIXTURES_DIR } from '../support/paths.js';

const TEST_TIMEOUT_MS = 30_000;
const BLEND = path.join(FIXTURES_DIR, 'gltf_v303_21_scene.blend');

/** A project folder `<dir>/farm/project` with shot.blend and post.sh; roots.json names `<dir>/farm` as root `proj`. */
async function project(tmp: TempSpool, root: Record<string, unknown>): Promise<string> {
  const folder = tmp.path('farm', 'project');
  await fs.mkdir(folder, { recursive: true });
  await fs.copyFile(BLEND, path.join(folder, 'shot.blend'));
  await writeScript(path.join(folder, 'post.sh'), 'true\n');
  await fs.mkdir(tmp.spool, { recursive: true });
  await fs.writeFile(path.join(tmp.spool, 'roots.json'), JSON.stringify({ roots: [{ name: 'proj', ...root }] }));
  return folder;
}

async function jobRecords(spool: string) {
  const opened = await Spool.open(spool);
  return Promise.all((await listJobIds(opened.ctx)).map(async (id) => (await readJob(opened.ctx, id))!));
}

test('render submit: a graph\'s .blend and output, relative to the graph file, are stored in root form for this node\'s own folder, as render add stores them', () => withTimeout(TEST_TIMEOUT_MS, 'submit', () => withTempSpool(async (tmp) => {
  // this node's entry wins over the platform's folder, which does not exist here
  const folder = await project(tmp, { linux: '/nowhere/projects', nodes: { 'sub-node': tmp.path('farm') } });
  const graph = path.join(folder, 'graph.json');
  await fs.writeFile(graph, JSON.stringify({ jobs: [
    { ref: 'shot', blend: 'shot.blend', output: 'renders/f_####', frames: '1-2' },
    { ref: 'post', command: ['./post.sh'], after: ['shot'] },
  ] }));
  const env = { ...process.env, RENDER_NODE: 'sub-node' };
  const submitted = await runRender(['--spool', tmp.spool, 'submit', 'project/graph.json', '--json'], { cwd: tmp.path('farm'), env });
  assert.is(submitted.code, 0, submitted.stderr);
  const added = await runRender(['--spool', tmp.spool, 'add', 'shot.blend', '--output', 'renders/f_####', '--frames', '1-2', '--json'], { cwd: folder, env });
  assert.is(added.code, 0, added.stderr);
  const records = await jobRecords(tmp.spool);
  const blenders = records.filter((r) => r.kind === 'blender');
  assert.is(blenders.length, 2);
  for (const job of blenders) {
    assert.equal([job.file, job.output], [path.join(folder, 'shot.blend'), path.join(folder, 'renders', 'f_####')]);
    assert.equal([job.fileRooted, job.outputRooted], ['{proj}/project/shot.blend', '{proj}/project/renders/f_####']);
  }
  const post = records.find((r) => r.kind === 'exec')!;
  assert.equal(post.command, [path.join(folder, 'post.sh')]);
})));

test('Spool.submit: relative paths from cwd, the platform\'s folder of a root, and outside every root nothing rooted', () => withTimeout(TEST_TIMEOUT_MS, 'api', () => withTempSpool(async (tmp) => {
  const folder = await project(tmp, { [process.platform]: tmp.path('farm') });
  const spool = await Spool.open(tmp.spool);
  const [inside] = await spool.submit(Job.blender('shot.blend', { output: 'renders/f_####', frames: '1' }), { cwd: folder });
  const outside = tmp.path('elsewhere');
  await fs.mkdir(outside);
  await fs.copyFile(BLEND, path.join(outside, 'other.blend'));
  const [other] = await spool.submit(Job.blender('other.blend', { output: '//f_####', frames: '1' }), { cwd: outside });
  const job = (await readJob(spool.ctx, inside.id))!;
  assert.equal([job.file, job.fileRooted, job.outputRooted], [path.join(folder, 'shot.blend'), '{proj}/project/shot.blend', '{proj}/project/renders/f_####']);
  const plain = (await readJob(spool.ctx, other.id))!;
  // outside every root, and `//` follows the .blend: nothing to map
  assert.equal([plain.file, plain.output, plain.fileRooted, plain.outputRooted], [path.join(outside, 'other.blend'), '//f_####', undefined, undefined]);
})));

test('Spool.submit with onWarnings: a .blend other nodes cannot reach and a missing library are reported, a throw queues nothing; under a root the .blend is reachable', () => withTimeout(TEST_TIMEOUT_MS, 'preflight', () => withTempSpool(async (tmp) => {
  // the spool on tmpfs, the .blend on the disk: not on the spool's filesystem
  const spool = await Spool.open(tmp.spool);
  const seen: string[] = [];
  const refuse = (warnings: { message: string }[]) => { seen.push(...warnings.map((w) => w.message)); if (warnings.length) throw new UsageError('refused'); };
  await spool.submit(Job.blender(BLEND, { frames: '1' }), { onWarnings: refuse }).then(() => assert.unreachable('refused'), (error: Error) => assert.is(error.message, 'refused'));
  // the fixture also links a library that is not there
  const missing = `missing library: //C.blend (${path.join(FIXTURES_DIR, 'C.blend')}): does not exist`;
  assert.equal(seen, [`unreachable blend: ${BLEND}: the .blend itself is not on the spool's filesystem nor under a project root`, missing]);
  assert.equal(await listJobIds(spool.ctx), []);
  await fs.writeFile(path.join(tmp.spool, 'roots.json'), JSON.stringify({ roots: [{ name: 'fixtures', [process.platform]: FIXTURES_DIR }] }));
  const [queued] = await spool.submit(Job.blender(BLEND, { frames: '1' }), { onWarnings: () => undefined });
  assert.equal(queued.warnings?.map((w) => w.message), [missing]);
  assert.is((await readJob(spool.ctx, queued.id))!.fileRooted, '{fixtures}/gltf_v303_21_scene.blend');
}, undefined, '/dev/shm')));

test('priority bounds hold on every way in: render submit, render priority, Spool.setPriority (one line, exit 2, nothing changed)', () => withTimeout(TEST_TIMEOUT_MS, 'bounds', () => withTempSpool(async (tmp) => {
  const graph = tmp.path('graph.json');
  await fs.writeFile(graph, JSON.stringify({ jobs: [{ command: ['true'], priority: 1_000_001 }] }));
  const refused = await runRender(['--spool', tmp.spool, 'submit', graph]);
  assert.equal([refused.code, refused.stdout, refused.stderr], [2, '', 'render: --priority must be from -1000000 to 1000000, got 1000001\n']);
  const spool = await Spool.open(tmp.spool);
  assert.equal(await listJobIds(spool.ctx), []);
  const job = JSON.parse((await runRender(['--spool', tmp.spool, 'exec', '--priority', '1000000', '--json', '--', 'true'])).stdout) as { id: string };
  const cli = await runRender(['--spool', tmp.spool, 'priority', job.id, '-1000001']);
  assert.equal([cli.code, cli.stderr], [2, 'render: priority must be from -1000000 to 1000000, got -1000001\n']);
  for (const bad of [1_000_001, -1_000_001, 1.5, Number.NaN]) {
    await spool.setPriority(job.id, bad).then(() => assert.unreachable(String(bad)), (error: Error) => assert.instance(error, UsageError));
  }
  assert.is((await readJob(spool.ctx, job.id))!.priority, 1_000_000);
})));

test.run();
