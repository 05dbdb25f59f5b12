// Tiny stills for the tile tests, made by real Blender: Cycles with adaptive sampling on and a fixed seed.
import { execFileSync } from 'node:child_process';

export interface StillOptions {
  width?: number;
  height?: number;
  samples?: number;
  /** image_settings: file_format and color_depth ('8', '16', '16' half or '32' float for EXR). */
  format?: string;
  depth?: string;
  /** Python run on the scene `s` before saving (extra settings, compositor nodes). */
  extra?: string;
}

export function makeStill(file: string, options: StillOptions = {}): void {
  const { width = 96, height = 54, samples = 16, format = 'PNG', depth = '8', extra = '' } = options;
  execFileSync('blender', ['-b', '--factory-startup', '--python-expr', `
import bpy
s = bpy.context.scene
s.frame_start, s.frame_end = 1, 1
s.render.engine = 'CYCLES'; s.cycles.samples = ${samples}; s.cycles.use_denoising = False
s.cycles.use_adaptive_sampling = True; s.cycles.seed = 7
s.render.resolution_x, s.render.resolution_y, s.render.resolution_percentage = ${width}, ${height}, 100
s.render.image_settings.file_format = '${format}'; s.render.image_settings.color_depth = '${depth}'
${extra}
bpy.ops.wm.save_as_mainfile(filepath=${JSON.stringify(file)})`], { stdio: 'ignore', timeout: 120_000 });
}
