// `npm pack`, then `npm install -g` of the tarball into a temporary prefix, as on a fresh machine:
// the installed `render demo` runs from a clean folder with no source tree, build step or dev
// dependency — what tsc built is what ships.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { REPO_ROOT, withTimeout } from '../support/index.js';

const INSTALL_TIMEOUT_MS = 300_000;
const DEMO_TIMEOUT_MS = 300_000;

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

test('the packed tarball installs globally and its render demo renders from a clean folder', async () => {
  await withTimeout(INSTALL_TIMEOUT_MS + DEMO_TIMEOUT_MS, 'global install', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'renderd-install-'));
    try {
      // the build already ran (tests run compiled): pack what it made, without running prepare again
      const pack = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], { cwd: REPO_ROOT, timeout: INSTALL_TIMEOUT_MS });
      assert.is(pack.status, 0, pack.stderr);
      const [packed] = JSON.parse(pack.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
      const shipped = packed.files.map((f) => f.path);
      for (const file of ['bin/render', 'bin/renderd', 'dist/src/cli/main.js', 'dist/src/daemon/main.js', 'libexec/launcher.pl', 'libexec/warm-server.py', 'libexec/warm-client.pl', 'hooks/blender/render-blender', 'templates/renderd.service']) {
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
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});

test.run();
