// A tiled still (issue 29): one Cycles frame of ~30 s, rendered whole by one `blender -b -f 1`, against
// the farm rendering it as 4x4 tiles (16 chunks; warm, and cold with --warm-idle 0 for reference) on one
// node of 2 slots, then merged. Ratio = farm time / whole time; per-tile overhead = the wall time beyond
// the whole render, per tile: (farm time − whole time) / tiles. Both slots share this machine's 2 cores
// (a whole render uses both already), so the ratio here is what tiling costs, not what it speeds up.
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

function makeStill(file: string): void {
  execFileSync('blender', ['-b', '--factory-startup', '--python-expr', `
import bpy
s = bpy.context.scene
s.frame_start, s.frame_end = 1, 1
s.render.engine = 'CYCLES'; s.cycles.samples = ${SAMPLES}; s.cycles.use_denoising = False
s.cycles.use_adaptive_sampling = True; s.cycles.seed = 7
s.render.resolution_x, s.render.resolution_y, s.render.resolution_percentage = ${WIDTH}, ${HEIGHT}, 100
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
  makeStill(blend);
  const loadBefore = load1();
  const runs = { whole: [] as number[], tiled: [] as number[], cold: [] as number[], bare: [] as number[] };
  for (let rep = 0; rep < REPS; rep++) {
    // alternated, each tiled run compared with the whole render of its own repetition: the machine drifts
    runs.whole.push((await runTimed('blender', ['-b', blend, '-o', path.join(dir, 'whole', 'f_####'), '-F', 'PNG', '-f', '1'], { timeoutMs: 1_800_000 })).ms);
    runs.tiled.push(await tiled(dir, blend, `warm-${rep}`));
    runs.cold.push(await tiled(dir, blend, `cold-${rep}`, ['--warm-idle', '0']));
    // no overscan (seams with adaptive sampling): what the overscan's extra pixels cost
    runs.bare.push(await tiled(dir, blend, `bare-${rep}`, [], '0'));
  }
  const ratioOf = (farm: number[]) => median(farm.map((ms, i) => ms / runs.whole[i]));
  const overheadOf = (farm: number[]) => median(farm.map((ms, i) => (ms - runs.whole[i]) / TILES));
  const [ratio, overhead] = [ratioOf(runs.tiled), overheadOf(runs.tiled)];
  const sec = (ms: number[]) => ms.map((v) => (v / 1000).toFixed(1)).join(' / ');
  const rows: Row[] = [
    { bench: 'tiles', metric: `one still ${WIDTH}×${HEIGHT}, Cycles ${SAMPLES} samples (adaptive): blender -b -f 1, whole`, value: `${(median(runs.whole) / 1000).toFixed(1)} s (${sec(runs.whole)})` },
    { bench: 'tiles', metric: `${GRID} tiles + merge, 1 node × ${SLOTS} slots, submit to merged frame`, value: `${(median(runs.tiled) / 1000).toFixed(1)} s (${sec(runs.tiled)})` },
    { bench: 'tiles', metric: 'time ratio, tiled / whole (one machine: no more cores to spread over)', value: ratio.toFixed(2) },
    { bench: 'tiles', metric: 'overhead per tile: (tiled − whole) / tiles', value: `${(overhead / 1000).toFixed(2)} s` },
    { bench: 'tiles', metric: 'warm, --overscan 0 (for the overscan\'s share only): time, ratio, overhead per tile', value: `${(median(runs.bare) / 1000).toFixed(1)} s (${sec(runs.bare)}), ${ratioOf(runs.bare).toFixed(2)}, ${(overheadOf(runs.bare) / 1000).toFixed(2)} s` },
    { bench: 'tiles', metric: 'cold tiles (--warm-idle 0): time, ratio, overhead per tile', value: `${(median(runs.cold) / 1000).toFixed(1)} s (${sec(runs.cold)}), ${ratioOf(runs.cold).toFixed(2)}, ${(overheadOf(runs.cold) / 1000).toFixed(2)} s` },
  ];
  const version = spawnSync('blender', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0];
  await removeDir(dir);
  return {
    rows,
    details: [
      `${version}; the scene: the default cube, ${WIDTH}×${HEIGHT}, Cycles CPU, ${SAMPLES} samples with adaptive sampling, seed 7, denoising off, PNG; ${GRID} tiles with the default 16 px overscan.`,
      `- ${REPS} repetition(s), whole, tiled warm, tiled cold and tiled warm without overscan in turn; the tiled time runs from spawning \`render add\` to the merge job's end in the node's log (the node up before).`,
      `- 1-min load average before: ${loadBefore}, after: ${load1()} (2 cores shared with other sessions).`,
    ],
  };
}
