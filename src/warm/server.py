# renderd's warm Blender (issue 17): run as `blender -b FILE --python server.py -- SOCKET`. The file is
# loaded once; renderd connects to SOCKET and sends one JSON request per line, each a chunk's frames.
# Blender's own output goes to stdout as a cold `blender -b FILE ... -a` prints it; after each request a
# line "\x1eRENDERD-WARM-END <id> <code>" says it is over (renderd reads stdout, not the socket, so no
# output can arrive after the end). Code 75: this request cannot be served warm (renderd goes cold).
import json
import os
import socket
import sys
import ctypes

import bpy

LIBC = ctypes.CDLL(None)
FALLBACK = 75
# Blender's -F names where they differ from the scene's file_format names (render-blender maps the other way)
CLI_FORMATS = {'TGA': 'TARGA', 'RAWTGA': 'TARGA_RAW', 'JP2': 'JPEG2000', 'AVIRAW': 'AVI_RAW', 'AVIJPEG': 'AVI_JPEG'}
FORMATS = {'BMP', 'IRIS', 'PNG', 'JPEG', 'JPEG2000', 'TARGA', 'TARGA_RAW', 'CINEON', 'DPX', 'OPEN_EXR_MULTILAYER',
           'OPEN_EXR', 'HDR', 'TIFF', 'WEBP', 'AVI_JPEG', 'AVI_RAW', 'FFMPEG'}


def flush():
    sys.stdout.flush()
    sys.stderr.flush()
    LIBC.fflush(None)  # Blender's C stdio buffers its lines when stdout is a pipe


def say_err(text):
    print(text, file=sys.stderr)


class Restore:
    """What a request may change in a scene, as the file had it: each request starts from the file."""

    def __init__(self):
        self.saved = {}
        for scene in bpy.data.scenes:
            r = scene.render
            self.saved[scene.name] = (r.filepath, r.image_settings.file_format, r.use_overwrite,
                                      scene.frame_start, scene.frame_end, scene.frame_step, scene.frame_current,
                                      (r.use_border, r.use_crop_to_border, tuple(border_of(r))))

    def apply(self, scene):
        values = self.saved.get(scene.name)
        if values is None:
            return
        r = scene.render
        path, fmt, overwrite, start, end, step, current, border = values
        # only what differs is set: an update of the render settings can drop what Cycles keeps between
        # renders, and frame_set() would evaluate the whole scene at a frame nobody renders
        if r.filepath != path:
            r.filepath = path
        if r.image_settings.file_format != fmt:
            r.image_settings.file_format = fmt
        if r.use_overwrite != overwrite:
            r.use_overwrite = overwrite
        if (scene.frame_start, scene.frame_end, scene.frame_step) != (start, end, step):
            scene.frame_start, scene.frame_end, scene.frame_step = start, end, step
        if scene.frame_current != current:
            scene.frame_current = current
        if (r.use_border, r.use_crop_to_border, tuple(border_of(r))) != border:
            set_border(r, *border)


def border_of(r):
    return (r.border_min_x, r.border_min_y, r.border_max_x, r.border_max_y)


def set_border(r, use, crop, box):
    # as render-blender's PY_BORDER for a tile of `render add --tiles`
    r.use_border, r.use_crop_to_border = use, crop
    r.border_min_x, r.border_min_y, r.border_max_x, r.border_max_y = box


def remove_empty_outputs(scene, frames):
    # as render-blender's no-overwrite: an empty file left by a crash would be skipped forever
    for frame in frames:
        path = scene.render.frame_path(frame=frame)
        if os.path.isfile(path) and os.path.getsize(path) == 0:
            os.remove(path)
            print("render-blender: removed empty %s to render it again" % path)


def serve(request, restore):
    os.chdir(request['cwd'])
    wanted = request.get('scene') or ''
    scene = bpy.data.scenes.get(wanted) if wanted else bpy.context.scene
    if scene is None:
        say_err("render-blender: no scene %r in %s" % (wanted, bpy.data.filepath))
        return 2
    restore.apply(scene)
    fmt = (request.get('format') or '').upper()
    if fmt:
        fmt = CLI_FORMATS.get(fmt, fmt)
        if fmt not in FORMATS:
            return FALLBACK  # Blender's own -F decides what an unknown name does
        if scene.render.image_settings.file_format != fmt:
            scene.render.image_settings.file_format = fmt
    if request.get('output') and scene.render.filepath != request['output']:
        scene.render.filepath = request['output']
    # Cycles keeps its scene (BVH, images, shaders) between requests; set once: setting it again drops them
    if scene.render.engine == 'CYCLES' and not scene.render.use_persistent_data:
        scene.render.use_persistent_data = True
    if request.get('border'):
        if scene.render.engine == 'CYCLES' and scene.cycles.use_denoising:
            say_err("render-blender: tiles of a denoised scene would seam: turn Cycles denoising off for --tiles "
                    "(denoising after the merge is not built yet)")
            return 2
        set_border(scene.render, True, True, tuple(request['border']))
    runs = request['runs']
    if request.get('noOverwrite'):
        remove_empty_outputs(scene, [f for s, e, j in runs for f in range(s, e + 1, j)])
        scene.render.use_overwrite = False
    for start, end, step in runs:
        # as `-s START -e END -j STEP -a`: the animation render of that range, files written as it goes
        scene.frame_start, scene.frame_end, scene.frame_step = start, end, step
        try:
            result = bpy.ops.render.render(animation=True, scene=scene.name)
        except Exception as error:  # an error Blender reports: printed, and the chunk fails
            say_err("render-blender: warm render failed: %s" % error)
            return 1
        if 'CANCELLED' in result:
            say_err("render-blender: warm render cancelled")
            return 1
    return 0


def main():
    path = sys.argv[sys.argv.index('--') + 1]
    restore = Restore()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(1)
    print("\x1eRENDERD-WARM-READY %s" % bpy.data.filepath)
    flush()
    conn, _ = listener.accept()
    listener.close()
    for line in conn.makefile('r', encoding='utf-8'):
        request = json.loads(line)
        try:
            code = serve(request, restore)
        except Exception as error:
            say_err("render-blender: warm server: %s" % error)
            code = FALLBACK
        flush()
        print("\x1eRENDERD-WARM-END %d %d" % (request['id'], code))
        flush()
    # renderd closed the socket: this Blender is no longer wanted
    sys.exit(0)


main()
