# The "renderd" panel in Properties > Output: what to submit, the Submit button, what the last
# submission said, and this file's jobs on the farm.
import bpy

ICONS = {"INFO": "INFO", "WARNING": "ERROR", "ERROR": "CANCEL"}


class RENDERD_PT_submit(bpy.types.Panel):
    bl_label = "renderd"
    bl_space_type = "PROPERTIES"
    bl_region_type = "WINDOW"
    bl_context = "output"

    def draw(self, context):
        layout = self.layout
        settings = context.scene.renderd
        layout.use_property_split = True
        layout.use_property_decorate = False
        layout.prop(settings, "spool")
        layout.prop(settings, "job_name")
        row = layout.row(heading="Frames")
        row.prop(settings, "frames_linked", text="Scene range")
        if settings.frames_linked:
            scene = context.scene
            layout.label(text="%d-%d%s" % (scene.frame_start, scene.frame_end,
                                           " x%d" % scene.frame_step if scene.frame_step > 1 else ""), icon="LINKED")
        else:
            layout.prop(settings, "frames")
        layout.prop(settings, "chunk")
        layout.prop(settings, "priority")
        layout.prop(settings, "pool")
        layout.prop(settings, "tags")
        layout.prop_search(settings, "camera", context.scene, "objects", icon="CAMERA_DATA")
        layout.prop_search(settings, "view_layer", context.scene, "view_layers", icon="RENDERLAYERS")
        layout.prop(settings, "paused")
        submit = layout.row()
        submit.scale_y = 1.4
        submit.enabled = not context.window_manager.renderd.busy  # one submission at a time
        submit.operator("renderd.submit", icon="EXPORT")
        if not bpy.data.filepath:
            layout.label(text="Save this file before submitting", icon="ERROR")
        listed = context.window_manager.renderd
        if listed.busy:
            layout.label(text=listed.busy, icon="SORTTIME")
        for message in listed.messages:
            layout.label(text=message.text, icon=ICONS.get(message.level, "INFO"))
        self.draw_jobs(layout, listed)

    def draw_jobs(self, layout, listed):
        box = layout.box()
        header = box.row()
        header.label(text="This file's jobs", icon="RENDER_ANIMATION")
        header.operator("renderd.refresh", text="", icon="FILE_REFRESH")
        header.operator("renderd.open_ui", text="", icon="CONSOLE")
        if not listed.jobs:
            box.label(text="none yet (Refresh)")
        for job in listed.jobs:
            done = job.done / job.total if job.total else 0.0
            row = box.row()
            row.label(text="%s  %s" % (job.job_id, job.name))
            row.label(text="%s %d%%  %d/%d" % (job.state, round(done * 100), job.done, job.total))


def register():
    bpy.utils.register_class(RENDERD_PT_submit)


def unregister():
    bpy.utils.unregister_class(RENDERD_PT_submit)
