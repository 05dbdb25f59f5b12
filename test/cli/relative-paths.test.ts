// Relative paths mean what they mean in a shell (contract §4): `./script`, `--output renders/…` and
// `--hooks` from a project folder resolve there, hooks run there, and `render remove` keeps the outputs.
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Fleet, renderJson, runRender, showJob, submitExec, withTempSpool, withTimeout, writeScript, type TempSpool } from '../support/index.js';
import { FIXTURES_DIR } from '../support/paths.js';

const TEST_TIMEOUT_MS = 90_000;
const BLEND = path.join(FIXTURES_DIR, 'gltf_v303_21_scene.blend');

async function runUntilIdle(tmp: TempSpool, name: string): Promise<void> {
  const fleet = new Fleet(tmp.spool);
  try {
    const exit = await fleet.start(name, { exitWhenIdle: true }).waitExit(60_000);
    assert.equal(exit, { code: 0, signal: null });
  } finally {
    await fleet.stopAll();
  }
}

test('render exec -- ./make.sh from a project folder: found, run there, and its outputs stay after render remove', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'exec', () => withTempSpool(async (tmp) => {
    const project = tmp.path('project');
    await writeScript(path.join(project, 'make.sh'), 'mkdir -p out && echo "$RENDER_CHUNK $(pwd)" > "out/part.$RENDER_CHUNK"\n');
    const job = await submitExec(tmp.spool, ['--frames', '1-2', '--chunk', '1', '--retries', '0'], ['./make.sh'], { cwd: project });
    await runUntilIdle(tmp, 'rel1');
    assert.is((await showJob(tmp.spool, job)).state, 'done');
    const removed = await runRender(['--spool', tmp.spool, 'remove', job]);
    assert.is(removed.code, 0, removed.stderr);
    assert.equal((await fs.readdir(path.join(project, 'out'))).sort(), ['part.0001', 'part.0002']);
    assert.is(await fs.readFile(path.join(project, 'out', 'part.0001'), 'utf8'), `0001 ${await fs.realpath(project)}\n`);
  }));
});

test('render add --output renders/f_#### --hooks hooks: both resolve in the project folder; the frames stay after render remove', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'add', () => withTempSpool(async (tmp) => {
    const project = tmp.path('project');
    await fs.mkdir(project, { recursive: true });
    await fs.copyFile(BLEND, path.join(project, 'shot.blend'));
    // a render stage that writes what Blender would, without Blender: one file per frame at RENDER_OUTPUT
    await writeScript(path.join(project, 'hooks', 'render-fake'), [
      'for f in $RENDER_FRAME_LIST; do',
      '  out=$(printf "%s" "$RENDER_OUTPUT" | sed "s/####/$(printf %04d "$f")/")',
      '  mkdir -p "$(dirname "$out")" && echo "frame $f" > "$out.png"',
      'done',
    ].join('\n') + '\n');
    const added = await renderJson<{ id: string }>(tmp.spool, ['add', 'shot.blend', '--frames', '1-3', '--chunk', '2', '--output', 'renders/f_####', '--hooks', 'hooks', '--retries', '0'], { cwd: project });
    const job = JSON.parse(await fs.readFile(path.join(tmp.spool, 'jobs', added.id, 'job.json'), 'utf8')) as { output: string; file: string };
    assert.is(job.output, path.join(project, 'renders', 'f_####'));
    assert.is(job.file, path.join(project, 'shot.blend'));
    await runUntilIdle(tmp, 'rel2');
    assert.is((await showJob(tmp.spool, added.id)).state, 'done');
    assert.is((await runRender(['--spool', tmp.spool, 'remove', added.id])).code, 0);
    assert.equal((await fs.readdir(path.join(project, 'renders'))).sort(), ['f_0001.png', 'f_0002.png', 'f_0003.png']);
  }));
});

test('an output inside the spool is refused with one line, exit 2, nothing queued; // stays relative to the .blend', async () => {
  await withTempSpool(async (tmp) => {
    const project = tmp.path('project');
    await fs.mkdir(project, { recursive: true });
    await fs.copyFile(BLEND, path.join(project, 'shot.blend'));
    const inside = await runRender(['--spool', tmp.spool, 'add', 'shot.blend', '--output', '../spool/jobs/f_####'], { cwd: project });
    assert.is(inside.code, 2);
    assert.is(inside.stdout, '');
    assert.match(inside.stderr, /^render: output \S+ is inside the spool \(.*\): frames there would go with the job; choose a folder outside it\n$/);
    assert.equal(await fs.readdir(path.join(tmp.spool, 'jobs')).catch(() => []), []);
    const relative = await renderJson<{ id: string }>(tmp.spool, ['add', 'shot.blend', '--output', '//out/f_##', '--paused'], { cwd: project });
    const job = JSON.parse(await fs.readFile(path.join(tmp.spool, 'jobs', relative.id, 'job.json'), 'utf8')) as { output: string };
    assert.is(job.output, '//out/f_##');
  });
});

test('render run graph.json --local: commands resolve and run in the graph\'s folder; the outputs outlive the temporary spool', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'run', () => withTempSpool(async (tmp) => {
    const project = tmp.path('project');
    await writeScript(path.join(project, 'tools', 'bake.sh'), 'mkdir -p baked && echo "$RENDER_FRAMES" > "baked/$RENDER_CHUNK"\n');
    await fs.writeFile(path.join(project, 'graph.json'), JSON.stringify({ jobs: [{ ref: 'bake', command: ['./tools/bake.sh'], frames: '1-2', chunk: 1 }] }));
    const result = await runRender(['run', 'project/graph.json', '--local', '--json'], { cwd: tmp.dir, timeoutMs: 60_000 });
    assert.is(result.code, 0, result.stderr);
    const { spool } = JSON.parse(result.stdout) as { spool: string };
    assert.ok(!(await fs.stat(spool).catch(() => null)), 'the temporary spool is gone');
    assert.equal((await fs.readdir(path.join(project, 'baked'))).sort(), ['0001', '0002']);
  }));
});

test('a job whose submission folder is missing on the node runs in its spool folder and says so in the chunk log', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'fallback', () => withTempSpool(async (tmp) => {
    const project = tmp.path('gone');
    await fs.mkdir(project, { recursive: true });
    const job = await submitExec(tmp.spool, ['--retries', '0'], ['sh', '-c', 'pwd > "$RENDER_SPOOL/../where"'], { cwd: project });
    await fs.rm(project, { recursive: true });
    await runUntilIdle(tmp, 'rel3');
    assert.is((await fs.readFile(tmp.path('where'), 'utf8')).trim(), await fs.realpath(path.join(tmp.spool, 'jobs', job)));
    const log = await runRender(['--spool', tmp.spool, 'log', job, '0001']);
    assert.match(log.stdout, `${project} (the folder the job was submitted from) does not exist on this node`);
  }));
});

test.run();
