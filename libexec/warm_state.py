# The warm Blender's memory of the file (issues 17, 25): every setting a request or a render may change,
# snapshotted when the file is loaded (after -S/-F/-t applied) and put back after each request, so each
# request starts from the file as a cold start sees it. Imported by warm-server.py.
import contextlib
import ctypes
import os
import sys

import bpy

LIBC = ctypes.CDLL(None)
# Nested settings are followed this deep (render > image_settings > view_settings > curve_mapping).
MAX_DEPTH = 4


def flush():
    sys.stdout.flush()
    sys.stderr.flush()
    LIBC.fflush(None)  # Blender's C stdio buffers its lines when stdout is a pipe


@contextlib.contextmanager
def quiet_output():
    """Reading every setting makes Blender warn about values its enums do not list (3.4: an empty input
    colour space), through its logger on stdout, at each request: the chunk log gets none of it. What
    the comparison finds is reported after."""
    flush()
    saved = [os.dup(1), os.dup(2)]
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)
    os.close(null)
    try:
        yield
    finally:
        flush()
        for fd, copy in ((1, saved[0]), (2, saved[1])):
            os.dup2(copy, fd)
            os.close(copy)


def plain(value):
    """A setting's value as a comparable Python value (arrays and vectors as tuples)."""
    if hasattr(value, '__len__') and not isinstance(value, (str, set, frozenset)):
        return tuple(plain(v) for v in value)
    return value


def rna_state(struct, depth=0):
    """Every writable setting of an RNA struct, nested settings (image_settings, ffmpeg...) included,
    in RNA's order: file_format comes before the depth and colour mode its setter adjusts."""
    state = {}
    for prop in struct.bl_rna.properties:
        name = prop.identifier
        if name == 'rna_type' or prop.type == 'COLLECTION':
            continue
        try:
            value = getattr(struct, name)
        except Exception:  # a setting this build lacks or refuses to read: nothing a request sets
            continue
        if prop.type == 'POINTER':
            # nested settings, not data-blocks (the camera is compared by identity below)
            if depth < MAX_DEPTH and value is not None and not isinstance(value, bpy.types.ID):
                state[name] = rna_state(value, depth + 1)
        elif not prop.is_readonly:
            state[name] = plain(value)
    return state


def rna_put_back(struct, saved):
    """Sets what differs from `saved`, in RNA's order."""
    for name, value in saved.items():
        try:
            current = getattr(struct, name)
            if isinstance(value, dict):
                if current is not None:
                    rna_put_back(current, value)
            elif plain(current) != value:  # only what differs: an update can drop what Cycles keeps
                setattr(struct, name, value)
        except Exception:  # a value RNA refuses: rna_differences() names it
            continue


def rna_differences(struct, saved, where):
    """The settings that are not as saved, by path."""
    found = []
    for name, value in saved.items():
        try:
            current = getattr(struct, name)
        except Exception:
            continue
        if isinstance(value, dict):
            if current is not None:
                found += rna_differences(current, value, where + '.' + name)
        elif plain(current) != value:
            found.append('%s.%s (%r, not %r)' % (where, name, plain(current), value))
    return found


class SceneState:
    """A scene's settings as the file (after -S/-F/-t) had them: render settings, frame range and
    current frame, camera, which view layers render, and Cycles' denoising (a tile of passes turns it off)."""

    def __init__(self, scene):
        with quiet_output():
            self.render = rna_state(scene.render)
        self.frames = (scene.frame_start, scene.frame_end, scene.frame_step)
        self.current = scene.frame_current
        self.camera = scene.camera
        self.layers = {layer.name: layer.use for layer in scene.view_layers}
        self.denoising = denoising_state(scene)

    def put_back(self, scene):
        """Puts the scene back as saved; returns what could not be (then this Blender must end)."""
        # twice: setting file_format adjusts depth and colour mode, which the second pass sets again
        with quiet_output():
            rna_put_back(scene.render, self.render)
            rna_put_back(scene.render, self.render)
            left = rna_differences(scene.render, self.render, scene.name + '.render')
        if (scene.frame_start, scene.frame_end, scene.frame_step) != self.frames:
            scene.frame_start, scene.frame_end, scene.frame_step = self.frames
        # frame_set() would evaluate the whole scene at a frame nobody renders: the number only
        if scene.frame_current != self.current:
            scene.frame_current = self.current
        if scene.camera != self.camera:
            scene.camera = self.camera
        for layer in scene.view_layers:
            if self.layers.get(layer.name, layer.use) != layer.use:
                layer.use = self.layers[layer.name]
        if denoising_state(scene) != self.denoising:
            scene.cycles.use_denoising = self.denoising[0]
            for layer in scene.view_layers:
                layer.cycles.denoising_store_passes = self.denoising[1].get(layer.name, False)
        return left


def denoising_state(scene):
    """Cycles' use_denoising and each view layer's denoising_store_passes (None: no Cycles here)."""
    if not hasattr(scene, 'cycles'):
        return None
    return scene.cycles.use_denoising, {layer.name: layer.cycles.denoising_store_passes for layer in scene.view_layers}
