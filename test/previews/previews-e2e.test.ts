// Real Blender through the farm: every frame that lands gets a preview on the spool, the right size
// and the frame's own colour, from PNG and from OpenEXR outputs; `render show --json` points at them.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { renderJson, runRender, withFleet, withTempSpool, withTimeout, type TempSpool } from '../support/index.js';
import { makeFlatScene, srgbOf } from './scene.js';
import { forEachBlender, type TestBlender } from '../support/blenders.js';

const test = suite('previews of real renders');

interface PreviewJson { frame: number; path: string }
interface ShowWithPreviews { preview: string | null; chunkList: { id: string; frames: number[]; previews: PreviewJson[] }[] }

async function renderJob(tmp: TempSpool, blender: TestBlender, extra: string[]): Promise<ShowWithPreviews> {
  const { id } = await renderJson<{ id: string }>(tmp.spool, ['add', tmp.path('flat.blend'), '--chunk', '2', ...extra]);
  await withFleet(tmp.spool, async (fleet) => {
    fleet.start('p1', { exitWhenIdle: true, env: { BLENDER: blender.path } });
    const waited = await runRender(['--spool', tmp.spool, 'wait', id], { timeoutMs: 240_000 });
    assert.is(waited.code, 0, `render wait: ${waited.stderr}\n${fleet.logs()}`);
  });
  return renderJson<ShowWithPreviews>(tmp.spool, ['show', id]);
}

/** Size and mean colour of a preview, and how far its pixels stray from the mean. */
async function look(file: string) {
  const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const mean = [0, 1, 2].map((c) => { let sum = 0; for (let i = c; i < data.length; i += 3) sum += data[i]; return Math.round(sum / (data.length / 3)); });
  let spread = 0;
  for (let i = 0; i < data.length; i++) spread = Math.max(spread, Math.abs(data[i] - mean[i % 3]));
  return { width: info.width, height: info.height, mean, spread };
}

async function assertPreviews(show: ShowWithPreviews, label: string): Promise<void> {
  const previews = show.chunkList.flatMap((c) => c.previews);
  assert.equal(previews.map((p) => p.frame), [1, 2, 3], `${label}: a preview per frame`);
  assert.equal(show.chunkList.map((c) => c.previews.map((p) => p.frame)), [[1, 2], [3]], `${label}: each chunk lists its frames`);
  assert.ok(show.preview && path.isAbsolute(show.preview), `${label}: "preview" is an absolute path`);
  assert.ok(previews.some((p) => p.path === show.preview), `${label}: "preview" is one of the frames'`);
  for (const p of previews) {
    const seen = await look(p.path);
    assert.equal([seen.width, seen.height], [320, 180], `${label} frame ${p.frame}: 640x360 shrunk to 320 wide`);
    const want = srgbOf(p.frame);
    for (let c = 0; c < 3; c++) assert.ok(Math.abs(seen.mean[c] - want[c]) <= 3, `${label} frame ${p.frame}: colour ${seen.mean} near ${want}`);
    assert.ok(seen.spread <= 3, `${label} frame ${p.frame}: flat (spread ${seen.spread})`);
  }
}

forEachBlender(test, (t, blender, tag) => t(`PNG and OpenEXR frames rendered by a node each get a 320-wide preview in their own colour${tag}`, async () => {
  await withTimeout(400_000, 'previews e2e', () => withTempSpool(async (tmp) => {
    makeFlatScene(tmp.path('flat.blend'), 640, 360, blender.path);
    const png = await renderJob(tmp, blender, ['--output', tmp.path('png', 'f_####'), '--format', 'PNG']);
    await assertPreviews(png, 'PNG');
    const exr = await renderJob(tmp, blender, ['--output', tmp.path('exr', 'f_####'), '--format', 'OPEN_EXR']);
    assert.ok((await fs.stat(tmp.path('exr', 'f_0001.exr'))).size > 0, 'Blender wrote the EXR');
    await assertPreviews(exr, 'OpenEXR');
  }));
}));

test.run();
