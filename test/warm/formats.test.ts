// Warm is cold (issue 25): the same job, rendered by a warm Blender (one per job, --chunk 1, so every
// frame after the first starts from what the one before left) and by cold starts, gives the same files in
// every format: channels, depth and pixels. Files saved as PNG 8/16, EXR half/float, multilayer EXR and
// JPEG, queued as they are and with --format (render-blender's -F, whose depth rules differ from RNA's).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { renderJson, runRender, withFleet, withTempSpool, withTimeout, type TempSpool } from '../support/index.js';
import { forEachBlender, type TestBlender } from '../support/blenders.js';
import { imageFacts, type ImageFacts } from './image-facts.js';

const test = suite('warm formats');
const TIMEOUT_MS = 900_000;
const FRAMES = 3;

/** name → the image settings the file is saved with (set in this order, as a user would). */
const FILES: Record<string, string> = {
  png8: "fmt('PNG'); i.color_mode = 'RGBA'; i.color_depth = '8'",
  png16: "fmt('PNG'); i.color_mode = 'RGB'; i.color_depth = '16'; i.compression = 90",
  exrHalf: "fmt('OPEN_EXR'); i.color_mode = 'RGBA'; i.color_depth = '16'; i.exr_codec = 'ZIP'",
  exrFloat: "fmt('OPEN_EXR'); i.color_mode = 'RGB'; i.color_depth = '32'; i.exr_codec = 'PIZ'",
  multilayer: "fmt('OPEN_EXR_MULTILAYER'); i.color_depth = '16'; i.exr_codec = 'ZIP'",
  jpeg: "fmt('JPEG'); i.color_mode = 'RGB'; i.quality = 80",
};

/** [file, --format or '' for the file's own, what a cold render of it must give (channels, first frame)]. */
const CASES: [string, string, RegExp][] = [
  ['png8', '', /^RGBA 8$/],
  ['png8', 'OPEN_EXR', /^A:FLOAT B:FLOAT G:FLOAT R:FLOAT /], // the issue's case: float (3.4-4.x: depth 8 kept; 5.x: 32)
  ['png8', 'JPEG', /^3 uchar$/],
  ['png8', 'OPEN_EXR_MULTILAYER', /Combined\.R:FLOAT/],
  ['png16', '', /^RGB 16$/],
  ['png16', 'OPEN_EXR', /^B:HALF G:HALF R:HALF /], // depth 16 kept: half
  ['exrHalf', '', /^A:HALF B:HALF G:HALF R:HALF compression:3$/],
  ['exrHalf', 'PNG', /^RGBA 16$/],
  ['exrFloat', '', /^B:FLOAT G:FLOAT R:FLOAT compression:4$/],
  ['multilayer', '', /Combined\.R:HALF/],
  ['jpeg', '', /^3 uchar$/],
  ['jpeg', 'PNG', /^RGB 8$/],
];

function makeFiles(tmp: TempSpool, blender: TestBlender): void {
  const saves = Object.entries(FILES).map(([name, settings]) =>
    `${settings}\nbpy.ops.wm.save_as_mainfile(filepath=${JSON.stringify(tmp.path(`${name}.blend`))}, copy=True)`).join('\n');
  execFileSync(blender.path, ['-b', '--factory-startup', '--python-exit-code', '1', '--python-expr', `
import bpy
s = bpy.context.scene
s.frame_start, s.frame_end = 1, ${FRAMES}
s.render.engine = 'CYCLES'; s.cycles.samples = 1; s.cycles.use_denoising = False
s.render.resolution_x, s.render.resolution_y = 32, 18
cube = bpy.data.objects['Cube']
cube.location = (0, 0, 0); cube.keyframe_insert('location', frame=1)
cube.location = (2, 1, 0); cube.keyframe_insert('location', frame=${FRAMES})
i = s.render.image_settings
def fmt(name):
    # 5.x lists file formats by media type: multilayer EXR is a media type of its own
    if hasattr(i, 'media_type'):
        i.media_type = 'MULTI_LAYER_IMAGE' if name == 'OPEN_EXR_MULTILAYER' else 'IMAGE'
    i.file_format = name
${saves}`], { stdio: 'ignore', timeout: 120_000 });
}

const caseName = ([file, format]: [string, string, RegExp]) => `${file}${format ? `-as-${format}` : ''}`;

/**
 * Every case queued into `<case>-<how>/` and rendered by one node to the end: warm at --chunk 1 (each frame
 * after the first starts from what the one before left), cold as one chunk per case (one Blender start for
 * its frames instead of one per frame: what a cold start gives does not depend on the chunk).
 */
async function renderAll(tmp: TempSpool, blender: TestBlender, how: 'warm' | 'cold'): Promise<void> {
  for (const c of CASES) {
    const format = c[1] ? ['--format', c[1]] : [];
    await renderJson(tmp.spool, ['add', tmp.path(`${c[0]}.blend`), '--chunk', how === 'warm' ? '1' : String(FRAMES), '--output', tmp.path(`${caseName(c)}-${how}`, 'f_####'), ...format]);
  }
  await withFleet(tmp.spool, async (fleet) => {
    const node = fleet.start(how, { exitWhenIdle: true, extraArgs: how === 'cold' ? ['--warm-idle', '0'] : [], env: { BLENDER: blender.path } });
    await node.waitExit(TIMEOUT_MS / 2);
    if (how === 'warm') assert.is(node.stderr.split('\n').filter((l) => /warm Blender for job .* started/.test(l)).length, CASES.length, node.stderr);
    else assert.not.match(node.stderr, /warm Blender/);
  });
  const listed = await runRender(['--spool', tmp.spool, 'list', '--json']);
  const jobs = JSON.parse(listed.stdout) as { state: string }[];
  assert.ok(jobs.every((j) => j.state === 'done'), listed.stdout);
}

async function framesOf(dir: string): Promise<Map<string, ImageFacts>> {
  const facts = new Map<string, ImageFacts>();
  for (const name of fs.readdirSync(dir).sort()) facts.set(name, await imageFacts(`${dir}/${name}`));
  return facts;
}

forEachBlender(test, (t, blender, tag) => t(`a warm Blender writes what a cold one writes, in every format, with and without --format${tag}`, async () => {
  await withTimeout(TIMEOUT_MS, 'warm formats', () => withTempSpool(async (tmp) => {
    makeFiles(tmp, blender);
    await renderAll(tmp, blender, 'warm');
    await renderAll(tmp, blender, 'cold');
    for (const c of CASES) {
      const [warm, cold] = await Promise.all([framesOf(tmp.path(`${caseName(c)}-warm`)), framesOf(tmp.path(`${caseName(c)}-cold`))]);
      assert.is(cold.size, FRAMES, `${caseName(c)}: ${[...cold.keys()]}`);
      assert.equal([...warm.keys()], [...cold.keys()], `${caseName(c)}: the same files`);
      for (const [name, facts] of cold) {
        assert.match(facts.channels, c[2], `${caseName(c)} ${name}: what -F gives cold, not ${facts.channels}`);
        assert.equal(warm.get(name), facts, `${caseName(c)} ${name}: warm as cold`);
      }
      const pixels = new Set([...cold.values()].map((f) => f.pixels));
      assert.is(pixels.size, FRAMES, `${caseName(c)}: frames differ (the comparison sees pixels)`);
    }
  }));
}));

test.run();
