// The job users run every day, end to end with Debian's Blender: render add → nodes → frames on disk,
// progress in the chunk records, and --no-overwrite filling holes.
import { suite, type Test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs/promises';
import { renderJson, runRender, showJob, withFleet, withTempSpool, withTimeout, type TempSpool } from '../support/index.js';
import { makeTinyScene } from '../support/blender-scene.js';
import { firstBlender, forEachBlender, type TestBlender } from '../support/blenders.js';
import { gate } from '../support/requires.js';

const test = suite('blender farm end to end');

async function renderedFrames(dir: string): Promise<string[]> {
  return (await fs.readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.png')).sort();
}

async function addAndRender(tmp: TempSpool, blender: TestBlender, extra: string[]): Promise<string> {
  const { id } = await renderJson<{ id: string; chunks: number }>(tmp.spool, ['add', tmp.path('shot.blend'), '--chunk', '10', '--output', tmp.path('out', 'f_####'), ...extra]);
  await withFleet(tmp.spool, async (fleet) => {
    fleet.start('b1', { exitWhenIdle: true, env: { BLENDER: blender.path } });
    fleet.start('b2', { exitWhenIdle: true, env: { BLENDER: blender.path } });
    const waited = await runRender(['--spool', tmp.spool, 'wait', id], { timeoutMs: 240_000 });
    assert.is(waited.code, 0, `render wait: ${waited.stderr}\n${fleet.logs()}`);
  });
  return id;
}

forEachBlender(test, (t, blender, tag) => defineRenders(t, blender, tag));

function defineRenders(test: Test, blender: TestBlender, tag: string): void {
  test(`a 24-frame scene in chunks of 10: 3 chunks, 24 PNGs, progress recorded${tag}`, async () => {
    await withTimeout(300_000, 'blender e2e', () => withTempSpool(async (tmp) => {
      makeTinyScene(tmp.path('shot.blend'), 24, { blender: blender.path });
      const id = await addAndRender(tmp, blender, []);
      const job = await showJob(tmp.spool, id);
      assert.is(job.chunks.total, 3);
      assert.is(job.chunks.done, 3);
      assert.equal(await renderedFrames(tmp.path('out')), Array.from({ length: 24 }, (_, i) => `f_${String(i + 1).padStart(4, '0')}.png`));
      for (const chunk of job.chunkList) {
        const progress = (chunk as unknown as { progress?: { framesDone?: number; frame?: number; peakMemMB?: number } }).progress;
        assert.ok(progress, `chunk ${chunk.id} has progress`);
        assert.is(progress!.framesDone, chunk.frames.length, `chunk ${chunk.id}: every frame saved`);
        assert.is(progress!.frame, chunk.frames[chunk.frames.length - 1], `chunk ${chunk.id}: last frame seen`);
        assert.ok((progress!.peakMemMB ?? 0) > 0, `chunk ${chunk.id}: peak memory kept`);
      }
    }));
  });

  test(`--no-overwrite after deleting two frames re-renders only those two${tag}`, async () => {
    await withTimeout(300_000, 'no-overwrite', () => withTempSpool(async (tmp) => {
      makeTinyScene(tmp.path('shot.blend'), 24, { blender: blender.path });
      await addAndRender(tmp, blender, []);
      const before = new Map<string, number>();
      for (const f of await renderedFrames(tmp.path('out'))) before.set(f, (await fs.stat(tmp.path('out', f))).mtimeMs);
      await fs.rm(tmp.path('out', 'f_0005.png'));
      await fs.rm(tmp.path('out', 'f_0017.png'));
      await new Promise((r) => setTimeout(r, 20)); // so a rewritten frame gets a later mtime
      await addAndRender(tmp, blender, ['--no-overwrite']);
      const after = await renderedFrames(tmp.path('out'));
      assert.is(after.length, 24);
      const rewritten = [];
      for (const f of after) if ((await fs.stat(tmp.path('out', f))).mtimeMs !== before.get(f)) rewritten.push(f);
      assert.equal(rewritten, ['f_0005.png', 'f_0017.png']);
    }));
  });
}

async function assertRefused(spool: string, cases: [string[], RegExp][]): Promise<void> {
  for (const [args, message] of cases) {
    const result = await runRender(['--spool', spool, ...args]);
    assert.is(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, message);
    assert.is(result.stderr.trim().split('\n').length, 1, `one line: ${result.stderr}`);
    assert.not.match(result.stderr, /\n\s+at /);
  }
  assert.equal(await renderJson<unknown[]>(spool, ['list']), []);
}

test('bad input: missing, not a .blend, truncated — one line, exit 2, nothing queued', async () => {
  await withTempSpool(async (tmp) => {
    await fs.writeFile(tmp.path('garbage.blend'), 'not a blend at all, just text');
    await fs.writeFile(tmp.path('truncated.blend'), Buffer.from('BLENDER-v304REND'));
    await fs.writeFile(tmp.path('weird.blend'), Buffer.from([0x42, 0x5a, 0x68, 0x39, 1, 2, 3])); // bzip2: not a compression Blender uses
    const cases: [string[], RegExp][] = [
      [['add', tmp.path('missing.blend')], /missing\.blend/],
      [['add', tmp.path('garbage.blend')], /garbage\.blend/],
      [['add', tmp.path('truncated.blend')], /truncated/],
      [['add', tmp.path('weird.blend')], /weird\.blend/],
    ];
    await assertRefused(tmp.spool, cases);
  });
});

gate(test, 'Blender', firstBlender().missing)('bad input: an unknown scene — one line, exit 2, nothing queued', async () => {
  await withTempSpool(async (tmp) => {
    makeTinyScene(tmp.path('shot.blend'), 24, { blender: firstBlender().path });
    await assertRefused(tmp.spool, [[['add', tmp.path('shot.blend'), '--scene', 'Nope'], /no scene 'Nope' \(scenes: Scene\)/]]);
  });
});

test.run();
