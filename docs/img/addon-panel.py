# Takes docs/img/addon-panel.png: the renderd panel in Output Properties, drawn by Blender in a window
# under Xvfb (blender -b cannot draw UI). With the add-on installed (render addon install), from the repo:
#   SHOT_OUT=$PWD/docs/img/addon-panel.png xvfb-run -a -s "-screen 0 760x1700x24" \
#     blender SCENE.blend --window-geometry 0 0 760 1700 --python docs/img/addon-panel.py
# The panel's state is filled in here (two jobs, a warning) so the picture shows everything it can.
import os
import tempfile

import bpy

OUT = os.environ["SHOT_OUT"]
# rows of the 760x1700 window the renderd panel occupies (Blender 3.4, default theme), from the top
PANEL_TOP, PANEL_BOTTOM = 788, 1312

settings = bpy.context.scene.renderd
settings.spool = "/srv/render/spool"
settings.job_name = "sh010_lighting"
settings.chunk, settings.priority, settings.pool = 10, 5, "gpu"
settings.camera = bpy.context.scene.camera.name if bpy.context.scene.camera else ""
settings.view_layer = bpy.context.view_layer.name
for level, text in (("INFO", "queued job mx5c2k1a9q0z"), ("WARNING", "missing image: //textures/wood_diffuse.png")):
    message = settings.messages.add()
    message.level, message.text = level, text
for job_id, state, done, total in (("mx5c2k1a9q0z", "running", 9, 25), ("mx5bz81kq2rd", "done", 25, 25)):
    job = settings.jobs.add()
    job.name, job.job_id, job.state, job.done, job.total = "sh010_lighting", job_id, state, done, total


def show_output_properties():
    window = bpy.context.window_manager.windows[0]
    area = max((a for a in window.screen.areas if a.type == "PROPERTIES"), key=lambda a: a.height)
    area.spaces.active.context = "OUTPUT"
    with bpy.context.temp_override(window=window, area=area):
        bpy.ops.screen.screen_full_area()


def shoot():
    window = bpy.context.window_manager.windows[0]
    whole = os.path.join(tempfile.mkdtemp(), "whole.png")
    with bpy.context.temp_override(window=window, area=window.screen.areas[0]):
        bpy.ops.screen.screenshot_area(filepath=whole)
    image = bpy.data.images.load(whole)
    width, height = image.size
    # Blender's rows run bottom-up, RGBA floats: the panel's rows are one slice
    first, last = height - PANEL_BOTTOM, height - PANEL_TOP
    crop = bpy.data.images.new("panel", width, last - first, alpha=True)
    crop.pixels = image.pixels[first * width * 4:last * width * 4]
    crop.filepath_raw = OUT
    crop.file_format = "PNG"
    crop.save()
    print("renderd: screenshot saved to %s" % OUT)
    bpy.ops.wm.quit_blender()


bpy.app.timers.register(show_output_properties, first_interval=1.0)
bpy.app.timers.register(shoot, first_interval=3.0)
