# What the panel edits, per scene (saved with the file: they are the artist's choices), and what it
# shows after a submission (messages, this file's jobs): on the window manager, never saved in the .blend.
import bpy


class RenderdJob(bpy.types.PropertyGroup):
    job_id: bpy.props.StringProperty()
    state: bpy.props.StringProperty()
    done: bpy.props.IntProperty()
    total: bpy.props.IntProperty()


class RenderdMessage(bpy.types.PropertyGroup):
    text: bpy.props.StringProperty()
    level: bpy.props.StringProperty(default="INFO")


class RenderdSettings(bpy.types.PropertyGroup):
    spool: bpy.props.StringProperty(name="Spool", subtype="DIR_PATH",
                                    description="Spool folder (empty: preferences, then $RENDER_SPOOL)")
    job_name: bpy.props.StringProperty(name="Job name", description="Empty: the file's name")
    frames_linked: bpy.props.BoolProperty(name="Scene range", default=True,
                                          description="Render the scene's frame range; off to type frames")
    frames: bpy.props.StringProperty(name="Frames", default="1-250", description="e.g. 1-100, 1-100x5, 1,5,9-12")
    chunk: bpy.props.IntProperty(name="Chunk", default=10, min=1, description="Frames per chunk")
    priority: bpy.props.IntProperty(name="Priority", default=0, description="Higher runs first")
    pool: bpy.props.StringProperty(name="Pool", description="Only nodes of this pool")
    tags: bpy.props.StringProperty(name="Tags", description="Only nodes with all these tags (comma-separated)")
    camera: bpy.props.StringProperty(name="Camera", description="Camera object (empty: the scene's)")
    view_layer: bpy.props.StringProperty(name="View layer", description="Render only this view layer (empty: all)")
    paused: bpy.props.BoolProperty(name="Paused", description="Queue the job paused")


class RenderdSession(bpy.types.PropertyGroup):
    busy: bpy.props.StringProperty(description="What the add-on is waiting for (empty: nothing)")
    messages: bpy.props.CollectionProperty(type=RenderdMessage)
    jobs: bpy.props.CollectionProperty(type=RenderdJob)


_classes = (RenderdJob, RenderdMessage, RenderdSettings, RenderdSession)


def register():
    for cls in _classes:
        bpy.utils.register_class(cls)
    bpy.types.Scene.renderd = bpy.props.PointerProperty(type=RenderdSettings)
    bpy.types.WindowManager.renderd = bpy.props.PointerProperty(type=RenderdSession)


def unregister():
    del bpy.types.WindowManager.renderd
    del bpy.types.Scene.renderd
    for cls in reversed(_classes):
        bpy.utils.unregister_class(cls)
