// Paths per machine: two nodes see the project at different mount points (bind mounts in mount
// namespaces of their own, the submitter's path hidden under a tmpfs), and render one job whose .blend
// names its texture by the submitter's absolute path: every frame has the texture's pixels.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { firstBlender } from '../support/blenders.js';
import { gate } from '../support/requires.js';
import { writeDepsProject } from '../blend/deps-project.js';
import { NodeProcess, RENDERD_BIN, renderJson, runRender, showJob, withTimeout } from '../support/index.js';
import { readPngPixels } from './png-pixels.js';

const run = promisify(execFile);

function canUnshareMounts(): boolean {
  try {
    execFileSync('unshare', ['-m', '--propagation', 'private', 'true'], { stdio: 'ignore', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

/** renderd in a mount namespace where `project` is hidden and shows up at `mount` instead. */
function startMountedNode(name: string, spool: string, project: string, mount: string): NodeProcess {
  const script = 'mount --bind "$1" "$2" && mount -t tmpfs hidden "$1" && shift 2 && exec "$@"';
  const child = spawn('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script, 'sh', project, mount,
    process.execPath, RENDERD_BIN, '--spool', spool, '--node', name, '--poll', '200', '--exit-when-idle'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, BLENDER: blender } });
  return new NodeProcess(name, child);
}

const { path: blender, missing: noBlender } = firstBlender();
const mounts = gate(suite<{ dir: string; farm: string; main: string }>('paths per machine', { dir: '', farm: '', main: '' }), 'Blender and mount namespaces',
  noBlender ?? (canUnshareMounts() ? null : 'unshare -m failed (needs root)'));
mounts.before(async (context) => {
  context.dir = await mkdtemp(path.join(os.tmpdir(), 'renderd-mounts-'));
  context.farm = await mkdtemp(path.join(os.tmpdir(), 'renderd-mounts-farm-'));
  context.main = (await writeDepsProject(blender, context.dir)).main;
});
mounts.after(async ({ dir, farm }) => {
  if (dir) await rm(dir, { recursive: true, force: true });
  if (farm) await rm(farm, { recursive: true, force: true });
});

mounts('two nodes at /…/mnt-a and /…/mnt-b render the job with its absolutely-named texture', async ({ dir, farm, main }) => {
  await withTimeout(300_000, 'mounted nodes', async () => {
    await run(blender!, ['-b', main, '-o', path.join(dir, 'original_####'), '-F', 'PNG', '-f', '1'], { timeout: 120_000 });
    const spool = path.join(farm, 'spool');
    const [mountA, mountB] = [path.join(farm, 'mnt-a'), path.join(farm, 'mnt-b')];
    await Promise.all([mkdir(mountA), mkdir(mountB), mkdir(spool)]);
    await writeFile(path.join(spool, 'roots.json'), JSON.stringify({ roots: [{ name: 'proj', linux: dir, nodes: { na: mountA, nb: mountB } }] }));
    const added = await renderJson<{ id: string }>(spool, ['add', main, '--frames', '1-4', '--chunk', '1', '--output', path.join(dir, 'out', 'f_####')]);
    const job = JSON.parse(await readFile(path.join(spool, 'jobs', added.id, 'job.json'), 'utf8')) as { fileRooted: string; outputRooted: string };
    assert.equal([job.fileRooted, job.outputRooted], ['{proj}/project/main.blend', '{proj}/out/f_####']);

    const nodes = [startMountedNode('na', spool, dir, mountA), startMountedNode('nb', spool, dir, mountB)];
    try {
      const waited = await runRender(['--spool', spool, 'wait', added.id], { timeoutMs: 240_000 });
      assert.is(waited.code, 0, `render wait: ${waited.stderr}\n${nodes.map((n) => n.stderr).join('\n')}`);
    } finally {
      for (const node of nodes) if (node.running) node.child.kill('SIGKILL');
      await Promise.all(nodes.map((node) => node.exited));
    }
    const shown = await showJob(spool, added.id);
    const byNode = new Set(shown.chunkList.map((chunk) => chunk.node));
    for (const node of byNode) assert.ok(node === 'na' || node === 'nb', String(node));
    const original = await readPngPixels(path.join(dir, 'original_0001.png'));
    assert.equal((await readdir(path.join(dir, 'out'))).sort(), ['f_0001.png', 'f_0002.png', 'f_0003.png', 'f_0004.png']);
    for (const frame of ['f_0001.png', 'f_0002.png', 'f_0003.png', 'f_0004.png']) {
      assert.ok((await readPngPixels(path.join(dir, 'out', frame))).equals(original), `${frame}: the original's pixels`);
    }
    // each node read the texture under its own mount
    const logs = await Promise.all(shown.chunkList.map((chunk) => readFile(path.join(spool, 'jobs', added.id, 'logs', `${chunk.id}.1.log`), 'utf8')));
    shown.chunkList.forEach((chunk, i) => {
      const mount = chunk.node === 'na' ? mountA : mountB;
      assert.match(logs[i], `render-blender: image ${path.join(dir, 'elsewhere', 'abs.png')} -> ${path.join(mount, 'elsewhere', 'abs.png')}`);
    });
    console.log(`  paths per machine: chunks rendered by ${[...byNode].sort().join(' and ')}`);
  });
});
mounts.run();

