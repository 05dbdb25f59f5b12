# Finding and running the `render` CLI. Looked for, in order: the add-on's preference, the command
# recorded by `render addon install` (render_cli.json: in the extension's user folder on 4.2+, beside
# this file for a legacy add-on), `render` on the PATH, and bin/render of the package this folder sits in.
# Calls start a process and return at once (Call.poll): Blender's UI keeps drawing while the CLI works.
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

RECORD_NAME = "render_cli.json"
TIMEOUT_S = 120


class CliError(Exception):
    """The CLI is missing or refused: the message is one line for the panel."""


def record_files():
    """Where `render addon install` may have recorded the CLI, the extension's user folder first."""
    files = []
    package = __package__ or ""
    try:
        import bpy
        if package.startswith("bl_ext.") and hasattr(bpy.utils, "extension_path_user"):
            files.append(os.path.join(bpy.utils.extension_path_user(package), RECORD_NAME))
    except ImportError:  # outside Blender (tests of this module)
        pass
    files.append(os.path.join(os.path.dirname(__file__), RECORD_NAME))
    return files


def find_cli(preference_path=""):
    """The command that runs `render`, as a list (e.g. [node, /pkg/bin/render])."""
    if preference_path:
        return [bpy_abspath(preference_path)]
    for record in record_files():
        try:
            with open(record, encoding="utf-8") as handle:
                recorded = json.load(handle).get("command")
            if recorded and all(os.path.exists(part) for part in recorded):
                return recorded
        except (OSError, ValueError):
            continue  # none there, or unreadable: the next place
    on_path = shutil.which("render")
    if on_path:
        return [on_path]
    beside = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "bin", "render")
    if os.path.exists(beside):
        return [beside]
    raise CliError("cannot find the `render` command: set its path in the add-on's preferences, "
                   "or run `render addon install` again")


def bpy_abspath(path):
    try:
        import bpy
        return bpy.path.abspath(path)
    except ImportError:  # outside Blender (tests of this module)
        return path


class Call:
    """`render [--spool S] ARGS --json` running; its output goes to files, so a full pipe never stalls it."""

    def __init__(self, command, args, spool=""):
        self.args = list(args)
        argv = list(command) + (["--spool", spool] if spool else []) + self.args + ["--json"]
        self.out = tempfile.TemporaryFile()
        self.err = tempfile.TemporaryFile()
        self.started = time.monotonic()
        try:
            self.process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=self.out, stderr=self.err)
        except OSError:
            self.close()
            raise CliError("cannot run %s" % argv[0])

    def poll(self):
        """None while it runs; then (parsed JSON, stderr lines), or CliError raised."""
        if self.process.poll() is None:
            if time.monotonic() - self.started < TIMEOUT_S:
                return None
            self.process.kill()
            self.process.wait()
            self.close()
            raise CliError("`render %s` did not answer in %d s" % (self.args[0], TIMEOUT_S))
        return self.result()

    def wait(self):
        """Blocks until it ends (background mode: a pipeline script waits anyway)."""
        try:
            self.process.wait(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            pass  # poll() kills it and says so
        return self.poll()

    def result(self):
        try:
            stdout, stderr = (self.read(f) for f in (self.out, self.err))
        finally:
            self.close()
        lines = [line for line in stderr.splitlines() if line.strip()]
        if self.process.returncode != 0:
            raise CliError(failure_line(lines) or "`render %s` exited %d" % (self.args[0], self.process.returncode))
        try:
            return json.loads(stdout), lines
        except ValueError:
            raise CliError("`render %s` printed no JSON" % self.args[0])

    @staticmethod
    def read(handle):
        handle.seek(0)
        return handle.read().decode("utf-8", "replace")

    def close(self):
        for handle in (self.out, self.err):
            handle.close()


def failure_line(lines):
    """Why `render` failed: its one-line error, or, when Node.js itself crashed (a trace that ends in
    Node's version, say a package missing), the trace's error line rather than that version."""
    if lines and lines[-1].startswith("Node.js v"):
        return next((line.strip() for line in lines if "Error" in line), lines[-1])
    return lines[-1] if lines else None


def run(command, args, spool=""):
    """Runs `render ARGS --json` to its end; returns (parsed JSON, stderr lines)."""
    return Call(command, args, spool).wait()


def open_in_terminal(command, args, spool=""):
    """Starts `render ARGS` in a terminal window of its own (render ui needs one)."""
    argv = list(command) + (["--spool", spool] if spool else []) + list(args)
    if sys.platform == "darwin":
        script = " ".join("'%s'" % part.replace("'", "'\\''") for part in argv)
        return subprocess.Popen(["osascript", "-e", 'tell app "Terminal" to do script "%s"' % script.replace('"', '\\"')])
    if sys.platform == "win32":
        return subprocess.Popen(["cmd", "/c", "start", "renderd", "cmd", "/k"] + argv)
    for terminal in (os.environ.get("TERMINAL"), "x-terminal-emulator", "gnome-terminal", "konsole", "xterm"):
        if terminal and shutil.which(terminal):
            flag = "--" if terminal == "gnome-terminal" else "-e"
            return subprocess.Popen([terminal, flag] + argv)
    raise CliError("no terminal found (set $TERMINAL); run `render ui` yourself")
