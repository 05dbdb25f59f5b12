# Finding and running the `render` CLI. Looked for, in order: the add-on's preference, the command
# recorded by `render addon install` (render_cli.json beside this file), `render` on the PATH, and
# bin/render of the package this folder sits in (a checkout or an npm install).
import json
import os
import shutil
import subprocess
import sys

RECORD_FILE = os.path.join(os.path.dirname(__file__), "render_cli.json")
TIMEOUT_S = 120


class CliError(Exception):
    """The CLI is missing or refused: the message is one line for the panel."""


def find_cli(preference_path=""):
    """The command that runs `render`, as a list (e.g. [node, /pkg/bin/render])."""
    if preference_path:
        return [bpy_abspath(preference_path)]
    try:
        with open(RECORD_FILE, encoding="utf-8") as handle:
            recorded = json.load(handle).get("command")
        if recorded and all(os.path.exists(part) for part in recorded):
            return recorded
    except (OSError, ValueError):
        pass
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


def run(command, args, spool=""):
    """Runs `render [--spool S] ARGS --json`; returns (parsed JSON, stderr lines)."""
    argv = list(command) + (["--spool", spool] if spool else []) + list(args) + ["--json"]
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=TIMEOUT_S)
    except FileNotFoundError:
        raise CliError("cannot run %s" % argv[0])
    except subprocess.TimeoutExpired:
        raise CliError("`render %s` did not answer in %d s" % (args[0], TIMEOUT_S))
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    if done.returncode != 0:
        raise CliError(lines[-1] if lines else "`render %s` exited %d" % (args[0], done.returncode))
    try:
        return json.loads(done.stdout), lines
    except ValueError:
        raise CliError("`render %s` printed no JSON" % args[0])


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
