// A tiled still (issue 29): one Cycles frame of ~30 s, rendered whole by one `blender -b -f 1`, against
// the farm rendering it as 4x4 tiles (16 chunks; warm, and cold with --warm-idle 0 for reference) on one
// node of 2 slots, then merged. Ratio = farm time / whole time; per-tile overhead = the wall time beyond
// the whole render, per tile: (farm time − whole time) / tiles. Both slots share this machine's 2 cores
// (a whole render uses both already), so the ratio here is what tiling costs, not what it speeds up.
// `finish`: the same still with a Glare node in its compositor, which the merge runs on the whole frame
// in Blender (tiles of passes, warm like any tile), against that scene rendered whole: what finishing costs.
// Denoising after the merge takes the same path plus OpenImageDenoise, which needs a Blender that has it.
// TILES_VARIANTS picks among warm, cold, bare and finish (default: all).
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { QUICK, hasCommand, load1, makeTempDir, median, removeDir, render, runTimed, startNode, stopNode, waitFor, type BenchResult, type Row } from './support.js';

const [WIDTH, HEIGHT] = QUICK ? [320, 180] : [1280, 720];
const SAMPLES = Number(process.env.TILES_SAMPLES ?? (QUICK ? 16 : 384));
const GRID = '4x4';
const TILES = 16;
const SLOTS = 2;
const REPS = QUICK ? 1 : Number(process.env.TILES_REPS ?? 1); // each repetition is ~4 minutes of this machine

const GLARE = `s.use_nodes = True; t = s.node_tree; g = t.nodes.new('CompositorNodeGlare'); g.glare_type = 'FOG_GLOW'
t.links.new(t.nodes['Render Layers'].outputs['Image'], g.inputs['Image']); t.links.new(g.outputs['Image'], t.nodes['Composite'].inputs['Image'])`;
const VARIANTS = new Set((process.env.TILES_VARIANTS ?? 'warm,cold,bare,finish').split(','));

function makeStill(file: string, extra = ''): void {
  execFileSync('blender', ['-b', '--factory-startup', '--python-expr', `
import bpy
s = bpy.context.scene
s.frame_start, s.frame_end = 1, 1
s.render.engine = 'CYCLES'; s.cycles.samples = ${SAMPLES}; s.cycles.use_denoising = False
s.cycles.use_adaptive_sampling = True; s.cycles.seed = 7
s.render.resolution_x, s.render.resolution_y, s.render.resolution_percentage = ${WIDTH}, ${HEIGHT}, 100
${extra}
bpy.ops.wm.save_as_mainfile(filepath=${JSON.stringify(file)})`], { stdio: 'ignore', timeout: 120_000 });
}

/** ms from spawning `render add --tiles` to the merge job's end, as the node logged it; the node already up. */
async function tiled(dir: string, blend: string, label: string, flags: string[] = [], overscan = '16'): Promise<number> {
  const spool = path.join(dir, `spool-${label}`);
  const out = path.join(dir, `out-${label}`);
  fs.mkdirSync(spool, { recursive: true });
  const node = startNode(spool, `tiles-${label}`, ['--slots', String(SLOTS), ...flags], dir);
  const log = () => fs.readFileSync(node.logFile, 'utf8');
  try {
    await waitFor('the node up', () => (/ node \S+ up: /.test(log()) ? true : undefined), 60_000, 20);
    const submitted = Date.now();
    const added = await render(spool, ['add', blend, '--tiles', GRID, '--overscan', overscan, '--output', path.join(out, 'f_####'), '--json']);
    const { id } = JSON.parse(added.stdout) as { id: string };
    const finished = new RegExp(`^(\\S+) .*job ${id} \\(.*\\) finished$`, 'm');
    const line = await waitFor(`merge ${id} finished`, () => finished.exec(log()) ?? undefined, 1_800_000, 50);
    if (!fs.existsSync(path.join(out, 'f_0001.png'))) throw new Error(`no merged frame (log ${node.logFile})`);
    return Date.parse(line[1]!) - submitted;
  } finally {
    await stopNode(node);
  }
}

export async function benchTiles(): Promise<BenchResult> {
  if (!hasCommand('blender')) throw new Error('blender is not installed');
  const dir = await makeTempDir('tiles');
  const blend = path.join(dir, 'still.blend');
  const glare = path.join(dir, 'glare.blend');
  makeStill(blend);
  makeStill(glare, GLARE);
  const loadBefore = load1();
  const runs = { whole: [] as number[], tiled: [] as number[], cold: [] as number[], bare: [] as number[], glareWhole: [] as number[], finish: [] as number[] };
  const whole = async (file: string, label: string) => (await runTimed('blender', ['-b', file, '-o', path.join(dir, label, 'f_####'), '-F', 'PNG', '-f', '1'], { timeoutMs: 1_800_000 })).ms;
  for (let rep = 0; rep < REPS; rep++) {
    // alternated, each tiled run compared with the whole render of its own repetition: the machine drifts
    runs.whole.push(await whole(blend, 'whole'));
    if (VARIANTS.has('warm')) runs.tiled.push(await tiled(dir, blend, `warm-${rep}`));
    if (VARIANTS.has('cold')) runs.cold.push(await tiled(dir, blend, `cold-${rep}`, ['--warm-idle', '0']));
    // no overscan (seams with adaptive sampling): what the overscan's extra pixels cost
    if (VARIANTS.has('bare')) runs.bare.push(await tiled(dir, blend, `bare-${rep}`, [], '0'));
    if (VARIANTS.has('finish')) {
      runs.glareWhole.push(await whole(glare, 'glare-whole'));
      runs.finish.push(await tiled(dir, glare, `finish-${rep}`));
    }
  }
  const ratioOf = (farm: number[], base = runs.whole) => median(farm.map((ms, i) => ms / base[i]));
  const overheadOf = (farm: number[], base = runs.whole) => median(farm.map((ms, i) => (ms - base[i]) / TILES));
  const [ratio, overhead] = [ratioOf(runs.tiled), overheadOf(runs.tiled)];
  const sec = (ms: number[]) => ms.map((v) => (v / 1000).toFixed(1)).join(' / ');
  const variant = (ms: number[], base = runs.whole) => `${(median(ms) / 1000).toFixed(1)} s (${sec(ms)}), ${ratioOf(ms, base).toFixed(2)}, ${(overheadOf(ms, base) / 1000).toFixed(2)} s`;
  const rows: Row[] = [
    { bench: 'tiles', metric: `one still ${WIDTH}×${HEIGHT}, Cycles ${SAMPLES} samples (adaptive): blender -b -f 1, whole`, value: `${(median(runs.whole) / 1000).toFixed(1)} s (${sec(runs.whole)})` },
    ...(runs.tiled.length ? [
      { bench: 'tiles', metric: `${GRID} tiles + merge, 1 node × ${SLOTS} slots, submit to merged frame`, value: `${(median(runs.tiled) / 1000).toFixed(1)} s (${sec(runs.tiled)})` },
      { bench: 'tiles', metric: 'time ratio, tiled / whole (one machine: no more cores to spread over)', value: ratio.toFixed(2) },
      { bench: 'tiles', metric: 'overhead per tile: (tiled − whole) / tiles', value: `${(overhead / 1000).toFixed(2)} s` },
    ] : []),
    ...(runs.bare.length ? [{ bench: 'tiles', metric: 'warm, --overscan 0 (for the overscan\'s share only): time, ratio, overhead per tile', value: variant(runs.bare) }] : []),
    ...(runs.cold.length ? [{ bench: 'tiles', metric: 'cold tiles (--warm-idle 0): time, ratio, overhead per tile', value: variant(runs.cold) }] : []),
    ...(runs.finish.length ? [
      { bench: 'tiles', metric: 'the still with a Glare node, whole', value: `${(median(runs.glareWhole) / 1000).toFixed(1)} s (${sec(runs.glareWhole)})` },
      { bench: 'tiles', metric: 'Glare run on the merged frame (tiles of passes; Blender finishes): time, ratio, overhead per tile', value: variant(runs.finish, runs.glareWhole) },
    ] : []),
  ];
  const version = spawnSync('blender', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0];
  await removeDir(dir);
  return {
    rows,
    details: [
      `${version}; the scene: the default cube, ${WIDTH}×${HEIGHT}, Cycles CPU, ${SAMPLES} samples with adaptive sampling, seed 7, denoising off, PNG; ${GRID} tiles with the default 16 px overscan.`,
      `- ${REPS} repetition(s), whole then the variants ${[...VARIANTS].join(', ')} in turn; the tiled time runs from spawning \`render add\` to the merge job's end in the node's log (the node up before).`,
      `- 1-min load average before: ${loadBefore}, after: ${load1()} (2 cores shared with other sessions).`,
    ],
  };
}
