// The small Cycles scenes the Blender tests render: made by real Blender, rendered in a blink.
import { execFileSync } from 'node:child_process';

/**
 * A `frames`-frame Cycles scene at 32x18, 1 sample, denoising off (Debian's Cycles has no OIDN), saved to
 * `file` by `blender`; `moving`: the default cube travels over the frames, so no two frames have the same pixels.
 */
export function makeTinyScene(file: string, frames: number, { moving = false, blender = 'blender' } = {}): void {
  const motion = moving ? `
cube = bpy.data.objects['Cube']
cube.location = (0, 0, 0); cube.keyframe_insert('location', frame=1)
cube.location = (2, 1, 0); cube.keyframe_insert('location', frame=${frames})` : '';
  execFileSync(blender, ['-b', '--factory-startup', '--python-expr', `
import bpy
s = bpy.context.scene
s.frame_start, s.frame_end = 1, ${frames}
s.render.engine = 'CYCLES'; s.cycles.samples = 1; s.cycles.use_denoising = False
s.render.resolution_x, s.render.resolution_y = 32, 18${motion}
bpy.ops.wm.save_as_mainfile(filepath=${JSON.stringify(file)})`], { stdio: 'ignore', timeout: 120_000 });
}
