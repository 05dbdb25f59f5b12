// The warm path (issue 17) on each test Blender: a job's Blender loaded once and reused by its next
// chunks, the same pixels as a cold start, a cold start when the warm path fails, its end when the hooks
// change, after an idle time or enough frames, and no Blender left when renderd is SIGKILLed.
import { suite, type Test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import zlib from 'node:zlib';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { REPO_ROOT, renderJson, runRender, withFleet, withTempSpool, withTimeout, waitUntil, type TempSpool } from '../support/index.js';
import { makeTinyScene } from '../support/blender-scene.js';
import { forEachBlender, type TestBlender } from '../support/blenders.js';

const test = suite('warm Blender');
const TIMEOUT_MS = 300_000;

/** A PNG's pixels: its IDAT data inflated (metadata such as the render time left out). */
function pngPixels(file: string): Buffer {
  const bytes = fs.readFileSync(file);
  const parts: Buffer[] = [];
  for (let at = 8; at < bytes.length;) {
    const length = bytes.readUInt32BE(at);
    if (bytes.toString('latin1', at + 4, at + 8) === 'IDAT') parts.push(bytes.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  return zlib.inflateSync(Buffer.concat(parts));
}

/** A hooks folder: the stock Blender hooks plus `extra` scripts (name → body). */
function hooksWith(tmp: TempSpool, extra: Record<string, string>): string {
  const dir = tmp.path('hooks');
  fs.mkdirSync(dir, { recursive: true });
  for (const name of ['render-blender', 'post-check']) fs.copyFileSync(path.join(REPO_ROOT, 'hooks', 'blender', name), path.join(dir, name));
  for (const [name, body] of Object.entries(extra)) fs.writeFileSync(path.join(dir, name), `#!/bin/sh\n${body}\n`);
  for (const name of fs.readdirSync(dir)) fs.chmodSync(path.join(dir, name), 0o755);
  return dir;
}

async function add(tmp: TempSpool, out: string, extra: string[] = []): Promise<string> {
  const { id } = await renderJson<{ id: string }>(tmp.spool, ['add', tmp.path('shot.blend'), '--chunk', '1', '--output', tmp.path(out, 'f_####'), ...extra]);
  return id;
}

async function waitDone(tmp: TempSpool, id: string, logs: () => string): Promise<void> {
  const waited = await runRender(['--spool', tmp.spool, 'wait', id], { timeoutMs: 240_000 });
  assert.is(waited.code, 0, `render wait: ${waited.stderr}\n${logs()}`);
}

const chunkLogs = (tmp: TempSpool, id: string) => {
  const dir = path.join(tmp.spool, 'jobs', id, 'logs');
  return fs.readdirSync(dir).sort().map((name) => fs.readFileSync(path.join(dir, name), 'utf8'));
};
const count = (text: string, pattern: RegExp) => text.split('\n').filter((line) => pattern.test(line)).length;
const frames = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.png')).sort() : []);

forEachBlender(test, (t, blender, tag) => defineWarm(t, blender, tag));

function defineWarm(test: Test, blender: TestBlender, tag: string): void {
  test(`one Blender renders every chunk of a job, with the pixels of a cold start${tag}`, async () => {
    await withTimeout(TIMEOUT_MS, 'warm reuse', () => withTempSpool(async (tmp) => {
      makeTinyScene(tmp.path('shot.blend'), 6, { moving: true, blender: blender.path });
      const warm = await add(tmp, 'warm', ['--frames', '1-4']);
      await withFleet(tmp.spool, async (fleet) => {
        const node = fleet.start('w1', { exitWhenIdle: true, env: { BLENDER: blender.path } });
        await waitDone(tmp, warm, () => fleet.logs());
        await node.waitExit(60_000);
        assert.is(count(node.stderr, /warm Blender for job .* started/), 1, node.stderr);
      });
      const logs = chunkLogs(tmp, warm);
      assert.is(logs.filter((l) => /warm Blender pid \d+, file loaded already/.test(l)).length, 3, logs.join('\n'));
      // Blender's own lines (on 5.x, with its log prefix; its status lines printed by the server's render_stats handler)
      assert.ok(logs.every((l) => /Saved: '/.test(l) && /^Fra:\s?\d+.*Mem:/m.test(l)), 'status and Saved lines, for progress and peak memory');
      // 3.x/4.x print their own status lines, so the server's render_stats handler (for 5.x) stays off: each line once
      assert.ok(logs.every((l) => !/^(Fra:[^\n]*)\n\1$/m.test(l)), 'no status line printed twice');
      const shown = await renderJson<{ chunkList: { progress?: { framesDone?: number; peakMemMB?: number } }[] }>(tmp.spool, ['show', warm]);
      assert.ok(shown.chunkList.every((c) => c.progress?.framesDone === 1 && (c.progress.peakMemMB ?? 0) > 0), JSON.stringify(shown.chunkList));

      const cold = await add(tmp, 'cold', ['--frames', '1-4']);
      await withFleet(tmp.spool, async (fleet) => {
        const node = fleet.start('c1', { exitWhenIdle: true, extraArgs: ['--warm-idle', '0'], env: { BLENDER: blender.path } });
        await waitDone(tmp, cold, () => fleet.logs());
        await node.waitExit(60_000);
        assert.is(count(node.stderr, /warm Blender/), 0, 'no warm path with --warm-idle 0');
      });
      assert.equal(frames(tmp.path('warm')), ['f_0001.png', 'f_0002.png', 'f_0003.png', 'f_0004.png']);
      assert.equal(frames(tmp.path('cold')), frames(tmp.path('warm')));
      for (const f of frames(tmp.path('warm'))) assert.ok(pngPixels(tmp.path('warm', f)).equals(pngPixels(tmp.path('cold', f))), `${f}: same pixels warm and cold`);
      assert.not.ok(pngPixels(tmp.path('warm', 'f_0001.png')).equals(pngPixels(tmp.path('warm', 'f_0004.png'))), 'frames differ (the comparison sees pixels)');
    }));
  });

  test(`a warm Blender that cannot start: tried once, said once, and each chunk starts Blender itself${tag}`, async () => {
    await withTimeout(TIMEOUT_MS, 'warm fallback', () => withTempSpool(async (tmp) => {
      makeTinyScene(tmp.path('shot.blend'), 6, { moving: true, blender: blender.path });
      // a Blender that breaks when asked to serve warm (it is given renderd's server script), and renders otherwise
      const wrapper = tmp.path('blender-no-warm');
      fs.writeFileSync(wrapper, `#!/bin/sh\ncase "$*" in *server.py*) echo "broken on purpose" >&2; exit 3 ;; esac\nexec ${blender.path} "$@"\n`, { mode: 0o755 });
      const id = await add(tmp, 'out', ['--frames', '1-3']);
      await withFleet(tmp.spool, async (fleet) => {
        const node = fleet.start('f1', { exitWhenIdle: true, env: { BLENDER: wrapper } });
        await waitDone(tmp, id, () => fleet.logs());
        await node.waitExit(60_000);
        assert.is(count(node.stderr, /warm Blender for job .* ended: could not start: .*start Blender themselves/), 1, node.stderr);
      });
      const logs = chunkLogs(tmp, id);
      assert.ok(logs.every((l) => /warm path: could not start a warm Blender.*; cold start/.test(l) && /^Saved: /m.test(l)), logs.join('\n'));
      assert.is(logs.filter((l) => /could not start a warm Blender for this job: /.test(l)).length, 2, 'the later chunks do not try again');
      assert.equal(frames(tmp.path('out')), ['f_0001.png', 'f_0002.png', 'f_0003.png']);
    }));
  });

  test(`a render hook of one's own runs as a process and is served warm through the client${tag}`, async () => {
    await withTimeout(TIMEOUT_MS, 'warm client', () => withTempSpool(async (tmp) => {
      makeTinyScene(tmp.path('shot.blend'), 6, { moving: true, blender: blender.path });
      // one byte more than the stock hook: renderd no longer does its work in place, the script runs
      const hooks = hooksWith(tmp, {});
      fs.appendFileSync(path.join(hooks, 'render-blender'), '# mine\n');
      fs.appendFileSync(path.join(hooks, 'post-check'), 'echo "my post-check ran"\n');
      const id = await add(tmp, 'out', ['--frames', '1-2', '--hooks', hooks]);
      await withFleet(tmp.spool, async (fleet) => {
        const node = fleet.start('m1', { exitWhenIdle: true, env: { BLENDER: blender.path } });
        await waitDone(tmp, id, () => fleet.logs());
        await node.waitExit(60_000);
        assert.is(count(node.stderr, /warm Blender for job .* started/), 1, node.stderr);
      });
      const logs = chunkLogs(tmp, id);
      assert.is(logs.filter((l) => /warm Blender pid \d+, file loaded already/.test(l)).length, 1, logs.join('\n'));
      // its post-check ran as a process: after the stock check's lines, which it prints as it did
      assert.ok(logs.every((l) => /^post-check: all 1 frames have their output\nmy post-check ran$/m.test(l)), logs.join('\n'));
      assert.equal(frames(tmp.path('out')), ['f_0001.png', 'f_0002.png']);
    }));
  });

  test(`a warm Blender ends when the job's hooks change, when idle, and after enough frames${tag}`, async () => {
    await withTimeout(TIMEOUT_MS, 'warm endings', () => withTempSpool(async (tmp) => {
      makeTinyScene(tmp.path('shot.blend'), 6, { moving: true, blender: blender.path });
      // the 2nd chunk a node runs edits the job's hooks; the 3rd waits past the idle time (15 s) first
      const hooks = hooksWith(tmp, { 'pre-turns': `n=$(cat "${tmp.path('turns')}" 2>/dev/null || echo 0); n=$((n + 1)); echo $n > "${tmp.path('turns')}"
  [ $n -eq 2 ] && echo "# edited" >> "$RENDER_JOB_DIR/hooks/post-check"
  [ $n -eq 3 ] && sleep 25
  exit 0` });
      const id = await add(tmp, 'out', ['--frames', '1-3', '--hooks', hooks]);
      await withFleet(tmp.spool, async (fleet) => {
        const node = fleet.start('e1', { exitWhenIdle: true, extraArgs: ['--warm-idle', '15'], env: { BLENDER: blender.path } }); // well over the gap between two chunks, even on a loaded machine
        await waitDone(tmp, id, () => fleet.logs());
        await node.waitExit(60_000);
        assert.is(count(node.stderr, /warm Blender for job .* ended: its file, hooks or settings changed/), 1, node.stderr);
        assert.is(count(node.stderr, /warm Blender for job .* ended: idle/), 1, node.stderr);
        assert.is(count(node.stderr, /warm Blender for job .* started/), 3, node.stderr);
      });
      const leak = await add(tmp, 'leak', ['--frames', '1-2']);
      await withFleet(tmp.spool, async (fleet) => {
        const node = fleet.start('e2', { exitWhenIdle: true, extraArgs: ['--warm-max-frames', '1'], env: { BLENDER: blender.path } });
        await waitDone(tmp, leak, () => fleet.logs());
        await node.waitExit(60_000);
        assert.is(count(node.stderr, /ended: 1 frames rendered \(leak guard\)/), 2, node.stderr);
      });
    }));
  });

  test(`renderd SIGKILLed while its warm Blender waits: no Blender is left${tag}`, async () => {
    await withTimeout(TIMEOUT_MS, 'warm sigkill', () => withTempSpool(async (tmp) => {
      makeTinyScene(tmp.path('shot.blend'), 6, { moving: true, blender: blender.path });
      const hooks = hooksWith(tmp, { 'pre-second-waits': `[ -e "${tmp.path('first')}" ] && exec sleep 60\ntouch "${tmp.path('first')}"` });
      const id = await add(tmp, 'out', ['--frames', '1-2', '--hooks', hooks]);
      await withFleet(tmp.spool, async (fleet) => {
        const node = fleet.start('k1', { env: { BLENDER: blender.path } });
        const pid = await waitUntil('the warm Blender', () => {
          const match = /warm Blender for job \S+ started \(pid (\d+)\)/.exec(node.stderr);
          return match && fs.existsSync(tmp.path('first')) && chunkLogs(tmp, id).length === 2 ? Number(match[1]) : undefined;
        }, 120_000, 100);
        assert.ok(fs.existsSync(`/proc/${pid}`), 'the warm Blender waits for the next chunk');
        await node.kill('SIGKILL');
        await node.waitExit(10_000);
        await waitUntil('the warm Blender to die', () => (fs.existsSync(`/proc/${pid}`) ? undefined : true), 15_000, 50);
        const left = spawnSync('pgrep', ['-f', `${tmp.path('shot.blend')} .*server\\.py`]).stdout.toString().trim();
        assert.is(left, '');
      });
    }));
  });
}

test.run();
