// `render add --pack DIR`: the .blend, its libraries and every file they use are copied with their
// layout, absolute paths are rewritten to `//` paths, and the packed copy — with the original project
// moved away — renders on a node the same pixels as the original.
import { execFile } from 'node:child_process';
import { mkdtemp, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { testBlenders } from '../support/blenders.js';
import { gate } from '../support/requires.js';
import { writeDepsProject } from '../blend/deps-project.js';
import { renderJson, runRender, withFleet, withTimeout } from '../support/index.js';
import { readPngPixels } from './png-pixels.js';
import type { Dependency } from '../../src/blend/deps/index.js';

const run = promisify(execFile);

for (const testBlender of testBlenders()) {
  const blender = testBlender.path;
  const pack = gate(suite<{ dir: string; main: string }>(`pack [${testBlender.name}]`, { dir: '', main: '' }), `Blender ${testBlender.name}`, testBlender.missing);
  pack.before(async (context) => {
    context.dir = await mkdtemp(path.join(os.tmpdir(), 'renderd-pack-'));
    context.main = (await writeDepsProject(blender, context.dir)).main;
  });
  pack.after(async ({ dir }) => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  pack('the packed copy, the original moved away, renders the same pixels on the farm', async ({ dir, main }) => {
    await withTimeout(300_000, 'pack end to end', async () => {
      const original = path.join(dir, 'original_####');
      await run(blender!, ['-b', main, '-o', original, '-F', 'PNG', '-f', '1'], { timeout: 120_000 });
      const spool = path.join(dir, 'spool');
      const packDir = path.join(dir, 'shared', 'shot');
      const added = await renderJson<{ id: string; file: string; packed: { copied: number; warnings: string[] } }>(
        spool, ['add', main, '--pack', packDir]);
      assert.is(added.file, path.join(packDir, 'project', 'main.blend'));
      assert.equal(added.packed.warnings, ['not packed, missing image: //textures/missing.png']);
      await rename(path.join(dir, 'project'), path.join(dir, 'moved-project'));
      await rename(path.join(dir, 'elsewhere'), path.join(dir, 'moved-elsewhere'));

      const { deps } = JSON.parse((await runRender(['inspect', added.file, '--deps', '--json'])).stdout) as { deps: Dependency[] };
      const abs = deps.find((dep) => dep.resolved.endsWith('abs.png'))!;
      assert.is(abs.path, '//../elsewhere/abs.png', 'the absolute texture path is rewritten relative');
      assert.ok(deps.every((dep) => dep.resolved.startsWith(packDir)));
      assert.equal(deps.filter((dep) => !dep.exists).map((dep) => dep.path), ['//textures/missing.png']);

      await withFleet(spool, async (fleet) => {
        fleet.start('p1', { exitWhenIdle: true, env: { BLENDER: blender } });
        const waited = await runRender(['--spool', spool, 'wait', added.id], { timeoutMs: 240_000 });
        assert.is(waited.code, 0, `render wait: ${waited.stderr}\n${fleet.logs()}`);
      });
      const packedPixels = await readPngPixels(path.join(packDir, 'project', 'out', 'f_0001.png'));
      assert.ok(packedPixels.equals(await readPngPixels(path.join(dir, 'original_0001.png'))), 'same pixels as the original render');
    });
  });

  pack('--pack into the project itself is refused with one line', async ({ dir }) => {
    const project = path.join(dir, 'moved-project');
    const result = await runRender(['--spool', path.join(dir, 'spool2'), 'add', path.join(project, 'main.blend'), '--pack', project]);
    assert.is(result.code, 2);
    assert.is(result.stderr.trim().split('\n').filter((line) => !line.includes('warning')).length, 1);
  });
  pack.run();
}

