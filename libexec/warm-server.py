# renderd's warm Blender (issues 17, 25), started as render-blender starts a cold one, with this script:
#   blender -b FILE [-S SCENE] [-F FORMAT] [-t THREADS] [-y] --python warm-server.py -- SOCKET FORMAT
# The file is loaded once; renderd connects to SOCKET and sends one JSON request per line, each a chunk's
# frames. Blender's own output goes to stdout as a cold `blender -b FILE ... -a` prints it; after each
# request a line "\x1eRENDERD-WARM-END <id> <code>[ last]" says it is over (renderd reads stdout, not the
# socket, so no output can arrive after the end). Code 75: this request cannot be served warm (renderd
# goes cold). "last": this Blender could not put the file's settings back: renderd ends it.
#
# Warm renders what cold renders: the format is set by Blender's own -F on the command line, not here.
# What -F does differs by version (creator_args.cc): up to 4.x it sets only `im_format.imtype`, keeping
# the file's depth (an 8-bit PNG file asked for OPEN_EXR keeps depth 8, which the EXR writer writes as
# float); from 5.0 it calls BKE_image_format_set, which also picks a valid depth, planes and views
# format. RNA's file_format setter follows neither on 3.4/4.x (it picks depth 32, and back on PNG, 16).
# Every setting a request or a render may change is snapshotted at start and put back after each
# request (warm_state.py), so each request starts from the file as -F left it.
import json
import os
import socket
import sys

import bpy

# no __pycache__ written into the package (it may be read-only, and is part of what a warm Blender is keyed on)
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from warm_state import LIBC, SceneState, flush  # noqa: E402 (beside this file, in libexec/)

FALLBACK = 75
MARK = "\x1eRENDERD-WARM-"
# Blender 3.x-4.x print their `Fra: ... | Mem: ...` lines for a render started from Python (3.4's
# render_stats handler even gets no text, 4.3's gets the line it prints); 5.x prints none, and hands
# render_stats the same status without its `Fra: N | ` (checked on 3.4.1, 4.3.2, 5.2.2).
STATS_FROM_HANDLER = bpy.app.version >= (5, 0, 0)
# The scene a request renders (render_stats names no scene).
RENDERING = None


def say_err(text):
    print(text, file=sys.stderr)


def print_stats(*args):
    # Blender 5.x hands render_stats the status without the frame ("Mem: 1M | Sample 1/2") and the
    # frame's " Time: ..." line; a cold render prints "Fra: 1 | Mem: 1M | Sample 1/2": the same here
    text = args[0] if args and isinstance(args[0], str) else ''
    if not text or RENDERING is None:
        return
    LIBC.fflush(None)
    print(text if text.startswith('Time:') else 'Fra: %d | %s' % (RENDERING.frame_current, text), flush=True)


def remove_empty_outputs(scene, frames):
    # as render-blender's no-overwrite: an empty file left by a crash would be skipped forever
    for frame in frames:
        path = scene.render.frame_path(frame=frame)
        if os.path.isfile(path) and os.path.getsize(path) == 0:
            os.remove(path)
            print("render-blender: removed empty %s to render it again" % path)


def choose_camera_and_layer(scene, request):
    """render add --camera / --view-layer, checked as render-blender checks them (same lines, exit 2)."""
    if request.get('camera'):
        camera = bpy.data.objects.get(request['camera'])
        if camera is None or camera.type != 'CAMERA':
            say_err("render-blender: no camera object %r in %s" % (request['camera'], bpy.data.filepath))
            return 2
        scene.camera = camera
    wanted = request.get('viewLayer')
    if wanted:
        if wanted not in scene.view_layers:
            say_err("render-blender: no view layer %r in scene %r" % (wanted, scene.name))
            return 2
        for layer in scene.view_layers:
            if layer.use != (layer.name == wanted):
                layer.use = layer.name == wanted
    return 0


def serve(request, started_format):
    os.chdir(request['cwd'])
    if (request.get('format') or '') != started_format:
        return FALLBACK  # this Blender was started with another -F: renderd starts one per format
    wanted = request.get('scene') or ''
    scene = bpy.data.scenes.get(wanted) if wanted else bpy.context.scene
    if scene is None:
        say_err("render-blender: no scene %r in %s" % (wanted, bpy.data.filepath))
        return 2
    code = choose_camera_and_layer(scene, request)
    if code:
        return code
    if request.get('output') and scene.render.filepath != request['output']:
        scene.render.filepath = request['output']
    if request.get('border'):
        passes = request.get('passes') or ''
        if scene.render.engine == 'CYCLES' and scene.cycles.use_denoising and passes != 'denoise':
            say_err("render-blender: tiles of a denoised scene would seam: its tile job must leave denoising to the merge "
                    "(render add --tiles does)")
            return 2
        if passes:
            # as render-blender's PY_BORDER: passes only, for the merge to denoise and composite (put back after)
            scene.cycles.use_denoising = False
            for layer in scene.view_layers:
                layer.cycles.denoising_store_passes = passes == 'denoise'
            scene.render.use_compositing = False
            settings = scene.render.image_settings
            settings.file_format, settings.color_depth, settings.exr_codec = 'OPEN_EXR_MULTILAYER', '32', 'ZIP'
        # as render-blender's PY_BORDER for a tile of `render add --tiles`; put back with the rest after the request
        r = scene.render
        r.use_border, r.use_crop_to_border = True, True
        r.border_min_x, r.border_min_y, r.border_max_x, r.border_max_y = request['border']
    runs = request['runs']
    if request.get('noOverwrite'):
        remove_empty_outputs(scene, [f for s, e, j in runs for f in range(s, e + 1, j)])
        scene.render.use_overwrite = False
    global RENDERING
    for start, end, step in runs:
        # as `-s START -e END -j STEP -a`: the animation render of that range, files written as it goes
        scene.frame_start, scene.frame_end, scene.frame_step = start, end, step
        RENDERING = scene
        try:
            result = bpy.ops.render.render(animation=True, scene=scene.name)
        except Exception as error:  # an error Blender reports: printed, and the chunk fails
            say_err("render-blender: warm render failed: %s" % error)
            return 1
        finally:
            RENDERING = None
        if 'CANCELLED' in result:
            say_err("render-blender: warm render cancelled")
            return 1
    return 0


def main():
    args = sys.argv[sys.argv.index('--') + 1:]
    path, started_format = args[0], (args[1] if len(args) > 1 else '')
    saved = {scene.name: SceneState(scene) for scene in bpy.data.scenes}
    if STATS_FROM_HANDLER:
        bpy.app.handlers.render_stats.append(print_stats)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(1)
    # a newline first: a line Blender left unterminated while loading must not hide the mark
    print("\n%sREADY %s" % (MARK, bpy.data.filepath))
    flush()
    conn, _ = listener.accept()
    listener.close()
    retired = False
    for line in conn.makefile('r', encoding='utf-8'):
        request = json.loads(line)
        if retired:
            code = FALLBACK  # renderd ends this Blender on "last": a request can only cross that
        else:
            try:
                code = serve(request, started_format)
            except Exception as error:
                say_err("render-blender: warm server: %s" % error)
                code = FALLBACK
            failed = []
            for scene in bpy.data.scenes:
                if scene.name in saved:
                    failed += saved[scene.name].put_back(scene)
            if failed:
                say_err("render-blender: this warm Blender ends: could not put back %s" % ', '.join(failed))
                retired = True
        flush()
        # renderd drops the empty line this newline makes when Blender's last line was complete; the
        # socket stays open (renderd ends this Blender): its closing must not overtake this mark
        print("\n%sEND %d %d%s" % (MARK, request['id'], code, ' last' if retired else ''))
        flush()
    # renderd closed the socket: this Blender is no longer wanted
    sys.exit(0)


main()
