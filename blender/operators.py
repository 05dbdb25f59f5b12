# The add-on's operators: submit this file (renderd.submit, usable from `blender -b … --python-expr`),
# refresh this file's jobs, and open `render ui` in a terminal.
import os
import sys

import bpy

from . import cli, preferences


def settings_of(context):
    return context.scene.renderd


def resolve_spool(context, explicit=""):
    """The spool: the operator's, the panel's, the preferences', then $RENDER_SPOOL (else the CLI default)."""
    prefs = preferences.get(context)
    for candidate in (explicit, settings_of(context).spool, prefs.spool if prefs else "", os.environ.get("RENDER_SPOOL", "")):
        if candidate:
            return bpy.path.abspath(candidate).rstrip("/\\") or candidate
    return ""


def cli_command(context):
    prefs = preferences.get(context)
    return cli.find_cli(prefs.render_cli if prefs else "")


def scene_frames(scene):
    step = "x%d" % scene.frame_step if scene.frame_step > 1 else ""
    return "%d-%d%s" % (scene.frame_start, scene.frame_end, step)


def say(settings, level, text):
    entry = settings.messages.add()
    entry.level = level
    entry.text = text
    if level == "WARNING" and bpy.app.background:
        # a pipeline script reads them on stderr
        print("renderd: warning: %s" % text, file=sys.stderr)


class RENDERD_OT_submit(bpy.types.Operator):
    """Save this file, check its dependencies and queue it on the renderd farm"""
    bl_idname = "renderd.submit"
    bl_label = "Submit"
    bl_options = {"REGISTER"}

    # unset properties fall back to the panel's settings
    spool: bpy.props.StringProperty(name="Spool")
    name: bpy.props.StringProperty(name="Job name")
    frames: bpy.props.StringProperty(name="Frames")
    chunk: bpy.props.IntProperty(name="Chunk", min=1, default=10)
    priority: bpy.props.IntProperty(name="Priority")
    paused: bpy.props.BoolProperty(name="Paused")
    # background scripts change the scene without marking the file dirty: they ask for the save
    save: bpy.props.BoolProperty(name="Save first", description="Save the file even if Blender sees no change")

    def execute(self, context):
        settings = settings_of(context)
        settings.messages.clear()
        try:
            job_id = self.submit(context, settings)
        except cli.CliError as error:
            say(settings, "ERROR", str(error))
            self.report({"ERROR"}, "renderd: %s" % error)
            print("renderd: %s" % error, file=sys.stderr)
            return {"CANCELLED"}
        say(settings, "INFO", "queued job %s" % job_id)
        self.report({"INFO"}, "renderd: queued job %s" % job_id)
        print("renderd: queued job %s" % job_id, flush=True)
        refresh_jobs(context)
        return {"FINISHED"}

    def submit(self, context, settings):
        if not bpy.data.filepath:
            raise cli.CliError("save this file first: the farm renders a .blend on disk")
        if bpy.data.is_dirty or self.save:
            bpy.ops.wm.save_mainfile()
            say(settings, "INFO", "saved %s before submitting" % os.path.basename(bpy.data.filepath))
        command = cli_command(context)
        spool = resolve_spool(context, self.spool)
        deps, _ = cli.run(command, ["inspect", bpy.data.filepath, "--deps"])
        for dep in deps["deps"]:
            if not dep["exists"]:
                say(settings, "WARNING", "missing %s: %s" % (dep["kind"], dep["path"]))
        added, _ = cli.run(command, self.add_args(context, settings), spool)
        for warning in added.get("warnings", []):
            if warning["problem"] != "missing":  # already listed from inspect
                say(settings, "WARNING", warning["message"])
        return added["id"]

    def add_args(self, context, settings):
        scene = context.scene
        is_set = self.properties.is_property_set
        frames = self.frames if is_set("frames") else (scene_frames(scene) if settings.frames_linked else settings.frames)
        args = ["add", bpy.data.filepath, "--scene", scene.name, "--frames", frames,
                "--chunk", str(self.chunk if is_set("chunk") else settings.chunk),
                "--priority", str(self.priority if is_set("priority") else settings.priority)]
        name = self.name if is_set("name") else settings.job_name
        if name:
            args += ["--name", name]
        if (self.paused if is_set("paused") else settings.paused):
            args.append("--paused")
        for flag, value in (("--pool", settings.pool), ("--tags", settings.tags),
                            ("--camera", settings.camera), ("--view-layer", settings.view_layer)):
            if value:
                args += [flag, value]
        return args


def refresh_jobs(context):
    """This file's jobs on the farm, newest first, with their progress."""
    settings = settings_of(context)
    jobs, _ = cli.run(cli_command(context), ["list"], resolve_spool(context))
    mine = [job for job in jobs if job.get("file") == bpy.path.abspath(bpy.data.filepath)]
    settings.jobs.clear()
    for job in sorted(mine, key=lambda job: job.get("createdAt", ""), reverse=True)[:10]:
        entry = settings.jobs.add()
        entry.name = job["name"]
        entry.job_id = job["id"]
        entry.state = job["state"]
        entry.done = job["chunks"]["done"]
        entry.total = job["chunks"]["total"]


class RENDERD_OT_refresh(bpy.types.Operator):
    """List this file's jobs on the farm with their progress"""
    bl_idname = "renderd.refresh"
    bl_label = "Refresh"

    def execute(self, context):
        try:
            refresh_jobs(context)
        except cli.CliError as error:
            self.report({"ERROR"}, "renderd: %s" % error)
            return {"CANCELLED"}
        return {"FINISHED"}


class RENDERD_OT_open_ui(bpy.types.Operator):
    """Open `render ui`, the farm's front-end, in a terminal"""
    bl_idname = "renderd.open_ui"
    bl_label = "Open render ui"

    def execute(self, context):
        try:
            cli.open_in_terminal(cli_command(context), ["ui"], resolve_spool(context))
        except (cli.CliError, OSError) as error:
            self.report({"ERROR"}, "renderd: %s" % error)
            return {"CANCELLED"}
        return {"FINISHED"}


_classes = (RENDERD_OT_submit, RENDERD_OT_refresh, RENDERD_OT_open_ui)


def register():
    for cls in _classes:
        bpy.utils.register_class(cls)


def unregister():
    for cls in reversed(_classes):
        bpy.utils.unregister_class(cls)
