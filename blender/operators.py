# The add-on's operators: submit this file (renderd.submit, usable from `blender -b … --python-expr`),
# refresh this file's jobs, and open `render ui` in a terminal.
import os
import sys

import bpy

from . import cli, flows, preferences


def settings_of(context):
    return context.scene.renderd


def session():
    """Messages and jobs: on the window manager (never saved), looked up when a flow step lands."""
    return bpy.context.window_manager.renderd


def redraw():
    for window in bpy.context.window_manager.windows:
        for area in window.screen.areas:
            if area.type == "PROPERTIES":
                area.tag_redraw()


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


def say(level, text):
    entry = session().messages.add()
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
        if session().busy:
            self.report({"WARNING"}, "renderd: %s" % session().busy)
            return {"CANCELLED"}
        session().messages.clear()
        try:
            command, steps = self.prepare(context, settings)
        except cli.CliError as error:
            return self.failed(error)
        if bpy.app.background:
            try:
                job_id = flows.run_now(command, steps)
            except cli.CliError as error:
                return self.failed(error)
            submitted(job_id, None, command, resolve_spool(context, self.spool))
            self.report({"INFO"}, "renderd: queued job %s" % job_id)
            return {"FINISHED"}
        session().busy = "submitting…"
        spool = resolve_spool(context, self.spool)
        flows.run_later(command, steps, lambda job_id, error: submitted(job_id, error, command, spool))
        return {"FINISHED"}

    def failed(self, error):
        say("ERROR", str(error))
        self.report({"ERROR"}, "renderd: %s" % error)
        print("renderd: %s" % error, file=sys.stderr)
        return {"CANCELLED"}

    def prepare(self, context, settings):
        """Saves the file when needed; the CLI command and the submission's steps (nothing run yet)."""
        if not bpy.data.filepath:
            raise cli.CliError("save this file first: the farm renders a .blend on disk")
        if bpy.data.is_dirty or self.save:
            bpy.ops.wm.save_mainfile()
            say("INFO", "saved %s before submitting" % os.path.basename(bpy.data.filepath))
        return cli_command(context), submit_steps(bpy.data.filepath, self.add_args(context, settings), resolve_spool(context, self.spool))

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


def submit_steps(filepath, add_args, spool):
    """inspect --deps (missing files are warnings), then add: the job's id."""
    deps, _ = yield (["inspect", filepath, "--deps"], "")
    for dep in deps["deps"]:
        if not dep["exists"]:
            say("WARNING", "missing %s: %s" % (dep["kind"], dep["path"]))
    added, _ = yield (add_args, spool)
    for warning in added.get("warnings", []):
        if warning["problem"] != "missing":  # already listed from inspect
            say("WARNING", warning["message"])
    return added["id"]


def submitted(job_id, error, command, spool):
    """A submission's end. The job list is refreshed after; its failure is a warning, not the submit's."""
    session().busy = ""
    if error:
        say("ERROR", str(error))
        print("renderd: %s" % error, file=sys.stderr)
    else:
        say("INFO", "queued job %s" % job_id)
        print("renderd: queued job %s" % job_id, flush=True)
        start_refresh(command, spool, lambda _, failed: failed and say("WARNING", "queued, but the job list was not refreshed: %s" % failed))
    redraw()


def list_steps(filepath, spool):
    """This file's jobs on the farm, newest first, with their progress."""
    jobs, _ = yield (["list"], spool)
    mine = [job for job in jobs if job.get("file") == filepath]
    listed = session().jobs
    listed.clear()
    for job in sorted(mine, key=lambda job: job.get("createdAt", ""), reverse=True)[:10]:
        entry = listed.add()
        entry.name = job["name"]
        entry.job_id = job["id"]
        entry.state = job["state"]
        entry.done = job["chunks"]["done"]
        entry.total = job["chunks"]["total"]


def start_refresh(command, spool, done):
    """Refreshes the job list: at once in background mode, from a timer in the UI."""
    steps = list_steps(bpy.path.abspath(bpy.data.filepath), spool)
    if bpy.app.background:
        try:
            flows.run_now(command, steps)
        except cli.CliError as error:
            return done(None, error)
        return done(None, None)
    flows.run_later(command, steps, lambda _, error: (done(None, error), redraw()))


class RENDERD_OT_refresh(bpy.types.Operator):
    """List this file's jobs on the farm with their progress"""
    bl_idname = "renderd.refresh"
    bl_label = "Refresh"

    def execute(self, context):
        try:
            command = cli_command(context)
        except cli.CliError as error:
            self.report({"ERROR"}, "renderd: %s" % error)
            return {"CANCELLED"}
        start_refresh(command, resolve_spool(context), lambda _, error: error and say("ERROR", "job list: %s" % error))
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
    flows.cancel_all()
    for cls in reversed(_classes):
        bpy.utils.unregister_class(cls)
