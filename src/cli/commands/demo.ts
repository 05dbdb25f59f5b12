// `render demo`: the whole loop on one machine — make a tiny scene with the installed Blender, queue it,
// render it with two local renderd nodes, show where the frames are.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { withCommonOptions, type Cli } from '../context.js';
import { openFarmAt } from '../farm.js';
import { bar } from '../format.js';
import { packagePath } from '../../hooks/defaults.js';
import { blendInput, submitBlend } from '../../jobs/submission/index.js';
import { summarizeJobById } from '../../jobs/summary.js';
import { isFinished } from '../../jobs/state.js';
import { sleep } from '../../liveness/clock.js';
import { FarmError, UsageError } from '../../errors.js';

const DEMO_FRAMES = 24;

/** A camera circling a few shapes: small and fast with Cycles on a CPU, and worth looking at. */
const SCENE_SCRIPT = (file: string) => `
import bpy, math
s = bpy.context.scene
s.frame_start, s.frame_end = 1, ${DEMO_FRAMES}
s.render.engine = 'CYCLES'; s.cycles.samples = 16; s.cycles.use_denoising = False
s.render.resolution_x, s.render.resolution_y = 160, 90
s.render.image_settings.file_format = 'PNG'
bpy.data.objects.remove(bpy.data.objects['Cube'])
bpy.ops.mesh.primitive_monkey_add(location=(-1.2, 0, 0))
bpy.ops.object.shade_smooth()
bpy.ops.mesh.primitive_torus_add(location=(1.4, 0, 0), rotation=(math.radians(60), 0, 0))
bpy.ops.mesh.primitive_plane_add(size=20, location=(0, 0, -1))
bpy.ops.object.empty_add(location=(0, 0, 0))
target = bpy.context.object
cam = s.camera
track = cam.constraints.new('TRACK_TO'); track.target = target
track.track_axis, track.up_axis = 'TRACK_NEGATIVE_Z', 'UP_Y'
cam.data.lens = 35
for f in range(1, ${DEMO_FRAMES} + 1, 3):
    a = (f - 1) / ${DEMO_FRAMES} * math.pi
    cam.location = (6 * math.sin(a), -6 * math.cos(a), 2.5)
    cam.keyframe_insert('location', frame=f)
bpy.ops.wm.save_as_mainfile(filepath=${JSON.stringify(file)})
`;

export function registerDemo(program: Command, cli: Cli): void {
  const command = withCommonOptions(program.command('demo')
    .description(`render a ${DEMO_FRAMES}-frame demo scene on a local spool with two local nodes`)
    .option('--dir <dir>', 'where the demo scene, spool and frames go (default: a new temp folder)'));
  command.action(async (opts: { dir?: string }) => {
    // loaded here, not at start-up: every other render command starts faster without it
    const { execa } = await import('execa');
    const blender = process.env.BLENDER || 'blender';
    const version = await execa(blender, ['-b', '--factory-startup', '--version'], { reject: false });
    if (version.failed) throw new UsageError(`render demo needs Blender: install it (Debian/Ubuntu: apt-get install blender) or set BLENDER=/path/to/blender`);
    const dir = opts.dir ? path.resolve(cli.io.cwd, opts.dir) : await fs.mkdtemp(path.join(os.tmpdir(), 'renderd-demo-'));
    const spoolFlag = (command.optsWithGlobals() as { spool?: string }).spool;
    const spool = spoolFlag ? path.resolve(cli.io.cwd, spoolFlag) : path.join(dir, 'spool');
    const blendFile = path.join(dir, 'demo.blend');
    await fs.mkdir(dir, { recursive: true });
    cli.out(`1/4 making ${blendFile} with ${version.stdout.split('\n')[0]}`);
    const made = await execa(blender, ['-b', '--factory-startup', '--python-exit-code', '1', '--python-expr', SCENE_SCRIPT(blendFile)], { reject: false });
    if (made.failed) throw new FarmError('EDEMO', `Blender could not make the demo scene: ${made.stderr.split('\n').filter(Boolean).pop() ?? made.exitCode}`);

    const farm = await openFarmAt(cli, spool);
    const output = path.join(dir, 'frames', 'frame_####');
    const job = await submitBlend(farm, blendInput(blendFile, { chunk: '6', output, retries: '1' }), { cwd: cli.io.cwd, nowMs: Date.now(), env: process.env });
    cli.out(`2/4 queued job ${job.id}: ${job.frames} frames in ${job.chunks} chunks on spool ${spool}`);

    const renderd = packagePath('bin', 'renderd');
    const nodes = ['demo-1', 'demo-2'].map((node) => execa(renderd, ['--spool', spool, '--node', node, '--exit-when-idle'], { reject: false, stdin: 'ignore', stdout: 'ignore', stderr: { file: path.join(dir, `${node}.log`) } }));
    cli.out(`3/4 started renderd nodes demo-1 and demo-2 (logs in ${dir})`);
    try {
      for (;;) {
        const summary = await summarizeJobById(farm, job.id);
        if (!summary) throw new FarmError('EDEMO', 'the demo job disappeared');
        const line = `    [${bar(summary.chunks.done / summary.chunks.total, 30)}] ${summary.chunks.done}/${summary.chunks.total} chunks, ${summary.chunks.running} running`;
        if (cli.io.isTTY) cli.io.stdout.write(`\r${line}`);
        if (isFinished(summary.state)) {
          if (cli.io.isTTY) cli.io.stdout.write('\n'); else cli.out(line);
          if (summary.state === 'failed') throw new FarmError('EDEMO', `the demo job failed: render --spool ${spool} show ${job.id}`);
          break;
        }
        await sleep(300);
      }
    } finally {
      await Promise.all(nodes);
    }
    const frames = (await fs.readdir(path.dirname(output))).filter((f) => f.endsWith('.png'));
    cli.out(`4/4 done: ${frames.length} frames in ${path.dirname(output)}`);
    cli.out(`\nlook around:\n  render --spool ${spool} list\n  render --spool ${spool} show ${job.id}\n  render --spool ${spool} log ${job.id} 0001\n  render --spool ${spool} ui`);
  });
}
