// A scene Blender renders in a blink and whose frames are checkable: the world is one flat colour,
// keyframed per frame (constant), seen through the Standard view transform with no dither, so every
// pixel of frame N is FRAME_COLOURS[N-1] in sRGB.
import { execFileSync } from 'node:child_process';
import { srgbByte } from '../../src/previews/tonemap.js';

/** Linear world colours of frames 1, 2, 3. */
export const FRAME_COLOURS: readonly (readonly [number, number, number])[] = [[0.8, 0.05, 0.05], [0.05, 0.6, 0.1], [0.1, 0.1, 0.9]];

export function srgbOf(frame: number): [number, number, number] {
  return FRAME_COLOURS[frame - 1].map(srgbByte) as [number, number, number];
}

export function makeFlatScene(file: string, width = 640, height = 360, blender = 'blender'): void {
  execFileSync(blender, ['-b', '--factory-startup', '--python-exit-code', '1', '--python-expr', `
import bpy
s = bpy.context.scene
for o in [o for o in bpy.data.objects if o.type != 'CAMERA']: bpy.data.objects.remove(o)
s.frame_start, s.frame_end = 1, ${FRAME_COLOURS.length}
s.render.engine = 'CYCLES'; s.cycles.samples = 1; s.cycles.use_denoising = False
s.render.resolution_x, s.render.resolution_y, s.render.resolution_percentage = ${width}, ${height}, 100
s.render.dither_intensity = 0
s.view_settings.view_transform = 'Standard'; s.view_settings.look = 'None'
w = s.world; w.use_nodes = True
bg = w.node_tree.nodes['Background']; bg.inputs[1].default_value = 1.0
for i, c in enumerate(${JSON.stringify(FRAME_COLOURS)}):
    bg.inputs[0].default_value = (c[0], c[1], c[2], 1)
    bg.inputs[0].keyframe_insert('default_value', frame=i + 1)
for fc in w.node_tree.animation_data.action.fcurves:
    for k in fc.keyframe_points: k.interpolation = 'CONSTANT'
bpy.ops.wm.save_as_mainfile(filepath=${JSON.stringify(file)})`], { stdio: 'ignore', timeout: 120_000 });
}
