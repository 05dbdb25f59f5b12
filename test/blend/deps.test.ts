// `render inspect --deps`: every external file of a project Blender 3.4 wrote (relative, absolute,
// missing and packed textures, an image sequence, a sound, a library linking another) equals what
// bpy.utils.blend_paths(absolute=True) reports; the shared fixtures (2.48–5.03) give sane answers.
import { mkdir, mkdtemp, readdir, rm, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { suite, test } from 'uvu';
import * as assert from 'uvu/assert';
import { findDependencies, type Dependency } from '../../src/blend/deps/index.js';
import { listDependencyFiles } from '../../src/blend/deps/resolve.js';
import { testBlenders } from '../support/blenders.js';
import { gate } from '../support/requires.js';
import { writeDepsProject, type DepsProject } from './deps-project.js';
import { runRender } from '../support/cli.js';
import { FIXTURES_DIR } from '../support/paths.js';

const FIXTURES = FIXTURES_DIR;

test('every fixture file (2.48–5.03) reads without error; only the two with paths report any', async () => {
  const withPaths: Record<string, string[]> = {};
  for (const name of (await readdir(FIXTURES)).filter((file) => file.endsWith('.blend')).sort()) {
    const deps = await findDependencies(path.join(FIXTURES, name));
    for (const dep of deps) assert.ok(path.isAbsolute(dep.resolved), `${name}: ${dep.resolved}`);
    if (deps.length) withPaths[name] = deps.map((dep) => `${dep.kind} ${dep.path} ${dep.exists}`);
  }
  assert.equal(withPaths, {
    'assimp_v260_32bit_bigendian_yxa1.blend': ['image //../corrosive_med.jpg false', 'image //../oak_golden.jpg false'],
    'gltf_v303_21_scene.blend': ['library //C.blend false'],
  });
});

test('a sequence path stands for its frames and tiles, and nothing else beside them', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'renderd-seq-'));
  try {
    const names = ['frame_0001.png', 'frame_0099.png', 'frame_0099.exr', 'frame_.png', 'wood.1001.png', 'wood.1002.png', 'wood.10021.png',
      'leaf.u1_v2.png', 'odd (v2)[a]_01.png', 'odd (v2)[a]_02.png', 'odd (v2)b_03.png'];
    for (const name of names) await writeFile(path.join(dir, name), '');
    await mkdir(path.join(dir, 'frame_0050.png'));
    const listed = (stored: string) => listDependencyFiles('image-sequence', path.join(dir, stored)).map((file) => path.basename(file));
    assert.equal(listed('frame_0001.png'), ['frame_0001.png', 'frame_0099.png']);
    assert.equal(listDependencyFiles('image-tiles', path.join(dir, 'wood.<UDIM>.png')).map((file) => path.basename(file)), ['wood.1001.png', 'wood.1002.png']);
    assert.equal(listDependencyFiles('image-tiles', path.join(dir, 'leaf.<UVTILE>.png')).map((file) => path.basename(file)), ['leaf.u1_v2.png']);
    assert.equal(listed('odd (v2)[a]_07.png'), ['odd (v2)[a]_01.png', 'odd (v2)[a]_02.png']);
    assert.equal(listed('missing_0001.png'), []);
    assert.equal(listDependencyFiles('image-sequence', path.join(dir, 'no-such-folder', 'frame_0001.png')), []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});


for (const testBlender of testBlenders()) {
  const blender = testBlender.path;
  const generated = gate(suite<{ dir: string; project: DepsProject | null }>(`deps-generated [${testBlender.name}]`, { dir: '', project: null }), `Blender ${testBlender.name}`, testBlender.missing);
  generated.before(async (context) => {
    context.dir = await mkdtemp(path.join(os.tmpdir(), 'renderd-deps-'));
    context.project = await writeDepsProject(blender, context.dir);
  });
  generated.after(async ({ dir }) => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  generated('the resolved paths are exactly those bpy.utils.blend_paths(absolute=True) reports', async ({ project }) => {
    const deps = await findDependencies(project!.main);
    assert.equal([...new Set(deps.map((dep) => dep.resolved))].sort(), project!.bpyPaths);
  });

  generated('kinds, stored paths, existence and the file that stores each path', async ({ dir, project }) => {
    const deps = await findDependencies(project!.main);
    const proj = path.join(dir, 'project');
    const rows = deps.map((dep: Dependency) => [dep.kind, dep.path, dep.exists, path.relative(dir, dep.from)].join(' ')).sort();
    assert.equal(rows, [
      `image ${path.join(dir, 'elsewhere/abs.png')} true project/main.blend`,
      'image //tex_b.png true project/libs/b/lib_b.blend',
      'image //textures/missing.png false project/main.blend',
      'image //textures/rel.png true project/main.blend',
      'image-sequence //seq/frame_0001.png true project/main.blend',
      'library //../b/lib_b.blend true project/libs/a/lib_a.blend',
      'library //libs/a/lib_a.blend true project/main.blend',
      'sound //sounds/beep.wav true project/main.blend',
    ].sort());
    assert.ok(deps.every((dep) => dep.resolved.startsWith(proj) || dep.path.startsWith('/')));
  });

  generated('an image sequence exists while any of its frames does', async ({ dir, project }) => {
    await unlink(path.join(dir, 'project/seq/frame_0001.png'));
    const seq = (await findDependencies(project!.main)).find((dep) => dep.kind === 'image-sequence')!;
    assert.is(seq.exists, true);
  });

  generated('`render inspect --deps --json` prints {deps: [{kind, path, resolved, exists}]}', async ({ project }) => {
    const result = await runRender(['inspect', project!.main, '--deps', '--json']);
    assert.is(result.code, 0, result.stderr);
    const { deps } = JSON.parse(result.stdout) as { deps: Dependency[] };
    assert.is(deps.length, 8);
    for (const dep of deps) assert.equal(Object.keys(dep).slice(0, 4), ['kind', 'path', 'resolved', 'exists']);
    const text = await runRender(['inspect', project!.main, '--deps']);
    assert.match(text.stdout, /^MISSING +image +\/\/textures\/missing\.png {2}-> \//m);
    assert.match(text.stdout, /8 file\(s\), 1 missing\n$/);
  });
  generated.run();
}

test('a file that is not there: exit 2, one line', async () => {
  const result = await runRender(['inspect', '/nonexistent/x.blend', '--deps']);
  assert.is(result.code, 2);
  assert.is(result.stderr.trim().split('\n').length, 1);
});

test.run();
