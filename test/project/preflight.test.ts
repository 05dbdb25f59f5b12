// `render add` checks a .blend's dependencies before queueing: missing files, and files other nodes
// cannot reach (off the spool's filesystem, outside every project root) are warnings; --strict refuses.
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { firstBlender } from '../support/blenders.js';
import { gate } from '../support/requires.js';
import { writeDepsProject } from '../blend/deps-project.js';
import { runRender } from '../support/index.js';

interface Added { id: string; warnings: { problem: string; kind: string; path: string }[] }

/** A spool on another filesystem than the project: tmpfs /dev/shm when /tmp is not on it. */
const otherFs = await stat('/dev/shm').then((shm) => stat(os.tmpdir()).then((tmp) => shm.dev !== tmp.dev), () => false);

const summarize = (added: Added) => added.warnings.map((w) => `${w.problem} ${w.kind} ${path.basename(w.path)}`).sort();

const { path: blender, missing: noBlender } = firstBlender();
const preflight = gate(suite<{ dir: string; shm: string; main: string }>('preflight', { dir: '', shm: '', main: '' }), 'Blender', noBlender);
preflight.before(async (context) => {
  context.dir = await mkdtemp(path.join(os.tmpdir(), 'renderd-preflight-'));
  context.shm = otherFs ? await mkdtemp('/dev/shm/renderd-preflight-') : '';
  context.main = (await writeDepsProject(blender, context.dir)).main;
});
preflight.after(async ({ dir, shm }) => {
  if (dir) await rm(dir, { recursive: true, force: true });
  if (shm) await rm(shm, { recursive: true, force: true });
});

preflight('a spool on the project\'s filesystem: only the missing texture is a warning; the job is queued', async ({ dir, main }) => {
  const spool = path.join(dir, 'spool-same');
  const result = await runRender(['--spool', spool, 'add', main, '--paused', '--json']);
  assert.is(result.code, 0, result.stderr);
  const added = JSON.parse(result.stdout) as Added;
  assert.equal(summarize(added), ['missing image missing.png']);
  assert.match(result.stderr, /^render: warning: missing image: \/\/textures\/missing\.png \(.*\): does not exist$/m);
});

preflight('--strict: exit 2, the problems on stderr, nothing queued', async ({ dir, main }) => {
  const spool = path.join(dir, 'spool-strict');
  const result = await runRender(['--spool', spool, 'add', main, '--strict']);
  assert.is(result.code, 2);
  assert.match(result.stderr, /missing image: \/\/textures\/missing\.png/);
  assert.match(result.stderr, /--strict: 1 dependency problem\(s\), nothing queued/);
  const list = await runRender(['--spool', spool, 'list', '--json']);
  assert.equal(JSON.parse(list.stdout), []);
});

if (otherFs) {
  preflight('a spool on another filesystem: everything is unreachable until a project root covers it', async ({ dir, shm, main }) => {
    const spool = path.join(shm, 'spool');
    const bare = JSON.parse((await runRender(['--spool', spool, 'add', main, '--paused', '--json'])).stdout) as Added;
    assert.equal(summarize(bare), [
      'missing image missing.png', 'unreachable blend main.blend', 'unreachable image abs.png', 'unreachable image rel.png',
      'unreachable image tex_b.png', 'unreachable image-sequence frame_0001.png', 'unreachable library lib_a.blend',
      'unreachable library lib_b.blend', 'unreachable sound beep.wav',
    ]);
    const env = { ...process.env, RENDER_PROJECT_ROOTS: path.join(dir, 'project') };
    const withEnv = JSON.parse((await runRender(['--spool', spool, 'add', main, '--paused', '--json'], { env })).stdout) as Added;
    assert.equal(summarize(withEnv), ['missing image missing.png', 'unreachable image abs.png']);
    await writeFile(path.join(spool, 'roots.json'), JSON.stringify({ roots: [{ name: 'all', [process.platform]: dir }] }));
    const withTable = JSON.parse((await runRender(['--spool', spool, 'add', main, '--paused', '--json'])).stdout) as Added;
    assert.equal(summarize(withTable), ['missing image missing.png']);
  });
}
preflight.run();

