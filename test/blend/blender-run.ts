// Runs the installed Blender once to write test .blend files and report, through bpy, what it
// believes they hold: the reader's results are compared against that.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BLENDER_TIMEOUT_MS = 120_000;
const RESULT_MARK = 'RESULT_JSON:';

/** The Blender binary, or null when none is installed (the tests that need it are then skipped). */
export async function findBlender(): Promise<string | null> {
  const candidate = process.env.BLENDER ?? 'blender';
  try {
    await run(candidate, ['--version'], { timeout: 30_000 });
    return candidate;
  } catch {
    return null; // ENOENT or a broken install: both mean "no Blender to compare with"
  }
}

/** Runs `script` in background mode with argv after `--`; the script prints RESULT_JSON:<json>. */
export async function runBlenderScript(blender: string, script: string, args: string[]): Promise<unknown> {
  const { stdout } = await run(blender, ['-b', '--factory-startup', '--python-exit-code', '1', '--python-expr', script, '--', ...args], {
    timeout: BLENDER_TIMEOUT_MS,
    maxBuffer: 16 * 1024 * 1024,
  });
  const line = stdout.split('\n').find((candidate) => candidate.startsWith(RESULT_MARK));
  if (!line) throw new Error(`Blender printed no ${RESULT_MARK} line:\n${stdout.slice(-2000)}`);
  return JSON.parse(line.slice(RESULT_MARK.length));
}

/** Writes several variations in one Blender run (~2 s) and reports each file's scenes as bpy sees them. */
export const GENERATE_SCRIPT = String.raw`
import bpy, json, os, sys
out = sys.argv[sys.argv.index('--') + 1]
results = {}

def describe():
    scenes = []
    for s in bpy.data.scenes:
        r = s.render
        scenes.append(dict(name=s.name, frameStart=s.frame_start, frameEnd=s.frame_end, frameStep=s.frame_step,
            output=r.filepath, fileFormat=r.image_settings.file_format,
            resolution=dict(x=r.resolution_x, y=r.resolution_y, percent=r.resolution_percentage), engine=r.engine))
    return scenes

def save(name, compress=False, rend_like=None):
    bpy.ops.wm.save_as_mainfile(filepath=os.path.join(out, name), compress=compress)
    results[name] = dict(scenes=describe(), compressed=compress, rendLike=rend_like or name)

save('default.blend')
s = bpy.context.scene
s.frame_start = 7; s.frame_end = 20; s.frame_step = 3
s.render.filepath = '//renders/shot_###'
s.render.image_settings.file_format = 'JPEG'
s.render.engine = 'CYCLES'
s.render.resolution_x = 640; s.render.resolution_y = 360; s.render.resolution_percentage = 50
s2 = bpy.data.scenes.new('Szene_ü_日本')
s2.frame_start = 5; s2.frame_end = 15
# EEVEE's engine id: BLENDER_EEVEE_NEXT from 4.2 to 4.5, BLENDER_EEVEE again from 5.0
s2.render.engine = 'BLENDER_EEVEE_NEXT' if (4, 2) <= bpy.app.version < (5, 0) else 'BLENDER_EEVEE'
s2.render.image_settings.file_format = 'OPEN_EXR'
s2.render.filepath = '/tmp/ü/out_'
s3 = bpy.data.scenes.new('Workbench')
s3.render.engine = 'BLENDER_WORKBENCH'
if bpy.app.version >= (5, 0):  # 5.0 offers multilayer EXR only under its own media type
    s3.render.image_settings.media_type = 'MULTI_LAYER_IMAGE'
s3.render.image_settings.file_format = 'OPEN_EXR_MULTILAYER'
s3.frame_start = 100; s3.frame_end = 100
s4 = bpy.data.scenes.new('Targa_Ω')
s4.render.engine = 'CYCLES'
s4.render.image_settings.file_format = 'TARGA'
s4.frame_step = 2
s4.render.filepath = ''
save('multi.blend')
save('multi_zstd.blend', compress=True, rend_like='multi.blend')
bpy.context.window_manager.windows[0].scene = s2
save('window_scene.blend')
s.render.image_settings.file_format = 'TIFF'
s2.render.image_settings.file_format = 'BMP'
save('formats_zstd.blend', compress=True, rend_like='window_scene.blend')

import blend_render_info
for name, entry in results.items():
    # Debian's Python has no zstandard module: a compressed file's REND is checked against its plain twin
    entry['rend'] = blend_render_info.read_blend_rend_chunk(os.path.join(out, entry['rendLike']))
print('${RESULT_MARK}' + json.dumps(results, ensure_ascii=False))
`;
