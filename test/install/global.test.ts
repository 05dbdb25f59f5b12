// `npm pack`, then `npm install -g` of the tarball into a temporary prefix, as on a fresh machine:
// the installed `render demo` runs from a clean folder with no source tree, build step or dev
// dependency — what tsc built is what ships. Then a job at --chunk 1 rendered by the installed renderd
// must go warm: a package that lacks a file the warm path runs (issue 25) renders every chunk cold.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { REPO_ROOT, withTimeout } from '../support/index.js';
import { makeTinyScene } from '../support/blender-scene.js';
import { missingCommand } from '../support/requires.js';

const hasBlender = missingCommand('blender', 'apt-get install blender') === null;

const INSTALL_TIMEOUT_MS = 300_000;
const DEMO_TIMEOUT_MS = 300_000;
const WARM_TIMEOUT_MS = 300_000;

function run(cmd: string, args: string[], options: SpawnSyncOptions & { timeout: number }) {
  const result = spawnSync(cmd, args, { encoding: 'utf8', ...options });
  return { status: result.status, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** The environment of a shell on a machine that only has the installed package: no RENDER_*, no repo on the PATH. */
function cleanEnv(prefix: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('RENDER_') && !name.startsWith('npm_') && name !== 'NODE_PATH') env[name] = value;
  }
  env.PATH = `${path.join(prefix, 'bin')}:${path.dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`;
  return env;
}

/** Three one-frame chunks, one installed renderd: one warm Blender renders them all, none failed to start. */
function renderWarmFromInstall(clean: string, env: NodeJS.ProcessEnv): void {
  const spool = path.join(clean, 'warm-spool');
  const blend = path.join(clean, 'shot.blend');
  makeTinyScene(blend, 3, { moving: true });
  const add = run('render', ['--spool', spool, 'add', blend, '--chunk', '1', '--output', path.join(clean, 'warm', 'f_####'), '--json'], { cwd: clean, env, timeout: 60_000 });
  assert.is(add.status, 0, add.stderr);
  const { id } = JSON.parse(add.stdout) as { id: string };
  const node = run('renderd', ['--spool', spool, '--node', 'installed', '--exit-when-idle'], { cwd: clean, env, timeout: WARM_TIMEOUT_MS });
  assert.is(node.status, 0, node.stderr);
  // what src/warm/pool.ts logs: one warm Blender started, and no start that failed
  assert.is(node.stderr.split('\n').filter((l) => /warm Blender for job \S+ started/.test(l)).length, 1, node.stderr);
  assert.not.match(node.stderr, /could not start/);
  const logs = path.join(spool, 'jobs', id, 'logs');
  const texts = fs.readdirSync(logs).map((name) => fs.readFileSync(path.join(logs, name), 'utf8'));
  assert.is(texts.filter((t) => /warm Blender pid \d+, file loaded already/.test(t)).length, 2, texts.join('\n'));
  assert.not.match(texts.join('\n'), /cold start/);
  assert.equal(fs.readdirSync(path.join(clean, 'warm')).sort(), ['f_0001.png', 'f_0002.png', 'f_0003.png']);
}

test('the packed tarball installs globally, its render demo renders from a clean folder, and a job renders warm', async () => {
  await withTimeout(INSTALL_TIMEOUT_MS + DEMO_TIMEOUT_MS + WARM_TIMEOUT_MS, 'global install', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'renderd-install-'));
    try {
      // the build already ran (tests run compiled): pack what it made, without running prepare again
      const pack = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], { cwd: REPO_ROOT, timeout: INSTALL_TIMEOUT_MS });
      assert.is(pack.status, 0, pack.stderr);
      const [packed] = JSON.parse(pack.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
      const shipped = packed.files.map((f) => f.path);
      for (const file of ['bin/render', 'bin/renderd', 'dist/bundle/cli/main.js', 'dist/bundle/daemon/main.js', 'dist/src/previews/preview-child.js', 'libexec/launcher.pl', 'libexec/warm-server.py', 'libexec/warm_state.py', 'libexec/warm-client.pl', 'hooks/blender/render-blender', 'templates/renderd.service']) {
        assert.ok(shipped.includes(file), `the tarball holds ${file}`);
      }
      assert.equal(shipped.filter((f) => f.startsWith('test/') || f.startsWith('dist/test/') || f.endsWith('.ts') || f.endsWith('.map')), [], 'no tests, sources or maps');

      const prefix = path.join(tmp, 'prefix');
      const install = run('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', '--prefer-offline', path.join(tmp, packed.filename)],
        { cwd: tmp, env: cleanEnv(prefix), timeout: INSTALL_TIMEOUT_MS });
      assert.is(install.status, 0, install.stderr);
      const installed = path.join(prefix, 'lib', 'node_modules', 'renderd');
      for (const dev of ['typescript', 'uvu', '@types']) assert.not.ok(fs.existsSync(path.join(installed, 'node_modules', dev)), `${dev} not installed`);

      const clean = path.join(tmp, 'clean');
      fs.mkdirSync(clean);
      const version = run('renderd', ['--version'], { cwd: clean, env: cleanEnv(prefix), timeout: 30_000 });
      assert.is(version.status, 0, version.stderr);
      const demo = run('render', ['demo', '--dir', 'demo'], { cwd: clean, env: cleanEnv(prefix), timeout: DEMO_TIMEOUT_MS });
      assert.is(demo.status, 0, demo.stdout + demo.stderr);
      assert.match(demo.stdout, '4/4 done: 24 frames');
      assert.is(fs.readdirSync(path.join(clean, 'demo', 'frames')).filter((f) => f.endsWith('.png')).length, 24);
      if (hasBlender) renderWarmFromInstall(clean, cleanEnv(prefix));
      else console.log('  (warm render skipped: no blender)');
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});

test.run();
