// The Blender add-on end to end: `render addon install` into a throwaway Blender user folder, the
// operator run in background mode on a generated file, and the job it queued rendered by a node.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { suite, type Test } from 'uvu';
import * as assert from 'uvu/assert';
import { REPO_ROOT, renderJson, runRender, showJob, withFleet, withTimeout } from '../support/index.js';
import { testBlenders, type TestBlender } from '../support/blenders.js';
import { gate } from '../support/requires.js';

const run = promisify(execFile);
const BLENDER_TIMEOUT_MS = 120_000;

interface Context { dir: string; env: NodeJS.ProcessEnv; spool: string }

/** Blender in background mode with the test's own user folders; never throws for a failing exit. */
async function runIn(blender: string, env: NodeJS.ProcessEnv, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(blender, ['-b', ...args], { env, timeout: BLENDER_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

/** A 3-frame Cycles scene at 32x18, 1 sample, denoising off, writing //out/f_####; one texture is missing. */
const SCENE_SCRIPT = (file: string) => `
import bpy
s = bpy.context.scene
s.frame_start, s.frame_end = 1, 3
s.render.engine = 'CYCLES'; s.cycles.samples = 1; s.cycles.use_denoising = False
s.render.resolution_x, s.render.resolution_y = 32, 18
s.render.filepath = '//out/f_####'
missing = bpy.data.images.new('Missing', 4, 4)
missing.source = 'FILE'; missing.filepath = '//textures/none.png'; missing.use_fake_user = True
bpy.ops.wm.save_as_mainfile(filepath=${JSON.stringify(file)})`;

const plain = suite('blender add-on');
plain('`render addon path` prints the package\'s blender/ folder', async () => {
  const result = await runRender(['addon', 'path']);
  assert.is(result.stdout.trim(), path.join(REPO_ROOT, 'blender'));
});
plain.run();

for (const blender of testBlenders()) {
  const tag = ` [${blender.name}]`;
  const addon = gate(suite<Context>(`blender add-on${tag}`, { dir: '', env: {}, spool: '' }), `Blender ${blender.name}`, blender.missing);
  defineAddon(addon, blender, tag);
  addon.run();
}

function defineAddon(addon: Test<Context>, blender: TestBlender, tag: string): void {
  const runBlender = (env: NodeJS.ProcessEnv, args: string[]) => runIn(blender.path, env, args);
  addon.before(async (context) => {
    context.dir = await mkdtemp(path.join(os.tmpdir(), 'renderd-addon-'));
    context.spool = path.join(context.dir, 'spool');
    // Blender's user folders (and the preferences install writes) in the test's own folder
    context.env = {
      ...process.env, HOME: context.dir, BLENDER_USER_CONFIG: path.join(context.dir, 'config'),
      BLENDER_USER_SCRIPTS: path.join(context.dir, 'scripts'), RENDER_SPOOL: '',
    };
  });
  addon.after(async ({ dir }) => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  addon(`\`render addon install\` copies the add-on where Blender looks (an extension from 4.2), records the CLI, enables it${tag}`, async ({ dir, env }) => {
    const result = await runRender(['addon', 'install', '--blender', blender.path, '--json'], { env, timeoutMs: 2 * BLENDER_TIMEOUT_MS });
    assert.is(result.code, 0, result.stderr);
    const installed = JSON.parse(result.stdout) as { kind: string; module: string; folder: string; recordFile: string };
    const extension = Number(blender.version?.split('.')[0]) * 100 + Number(blender.version?.split('.')[1]) >= 402;
    const config = path.join(dir, '.config', 'blender', blender.version!);
    assert.equal(installed, extension ? {
      ...installed, kind: 'extension', module: 'bl_ext.user_default.renderd', folder: path.join(config, 'extensions', 'user_default', 'renderd'),
      recordFile: path.join(config, 'extensions', '.user', 'user_default', 'renderd', 'render_cli.json'),
    } : { ...installed, kind: 'legacy', module: 'renderd', folder: path.join(dir, 'scripts', 'addons', 'renderd'), recordFile: path.join(dir, 'scripts', 'addons', 'renderd', 'render_cli.json') });
    assert.ok((await readdir(installed.folder)).includes('blender_manifest.toml'));
    const recorded = JSON.parse(await readFile(installed.recordFile, 'utf8')) as { command: string[] };
    assert.equal(recorded.command, [process.execPath, path.join(REPO_ROOT, 'bin', 'render')]);
    const check = await runBlender(env, ['--python-expr', `import bpy; print("ENABLED", ${JSON.stringify(installed.module)} in bpy.context.preferences.addons)`]);
    assert.match(check.stdout, 'ENABLED True');
  });

  addon(`a file never saved is refused${tag}`, async ({ env, spool }) => {
    const result = await runBlender(env, ['--python-exit-code', '1', '--python-expr', `import bpy; bpy.ops.renderd.submit(spool=${JSON.stringify(spool)})`]);
    assert.is(result.code, 1);
    assert.match(result.stdout + result.stderr, 'save this file first');
  });

  addon(`bpy.ops.renderd.submit() in background mode saves the changed file, queues it, and a node renders it${tag}`, async ({ dir, env, spool }) => {
    await withTimeout(300_000, 'add-on end to end', async () => {
      const blend = path.join(dir, 'shot.blend');
      await runBlender(env, ['--factory-startup', '--python-expr', SCENE_SCRIPT(blend)]);
      // frame_end changed after loading (background mode marks nothing dirty: save=True): the farm sees 1-4
      const submit = `import bpy; bpy.context.scene.frame_end = 4; bpy.ops.renderd.submit(spool=${JSON.stringify(spool)}, chunk=2, name='from-blender', save=True)`;
      const result = await runBlender(env, [blend, '--python-exit-code', '1', '--python-expr', submit]);
      assert.is(result.code, 0, result.stdout + result.stderr);
      const id = /^renderd: queued job (\S+)$/m.exec(result.stdout)?.[1];
      assert.ok(id, result.stdout);
      assert.match(result.stderr, /^renderd: warning: missing image: \/\/textures\/none\.png$/m);
      const job = await showJob(spool, id!);
      assert.equal([job.name, job.chunks.total, job.paused], ['from-blender', 2, false]);
      const info = await renderJson<{ scenes: { frameEnd: number }[] }>(spool, ['inspect', blend]);
      assert.is(info.scenes[0].frameEnd, 4);
      await withFleet(spool, async (fleet) => {
        fleet.start('b1', { exitWhenIdle: true, env: { BLENDER: blender.path } });
        const waited = await runRender(['--spool', spool, 'wait', id!], { timeoutMs: 240_000 });
        assert.is(waited.code, 0, `render wait: ${waited.stderr}\n${fleet.logs()}`);
      });
      assert.equal((await readdir(path.join(dir, 'out'))).sort(), ['f_0001.png', 'f_0002.png', 'f_0003.png', 'f_0004.png']);
    });
  });
}
