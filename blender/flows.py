# A chain of `render` calls written once as a generator, which yields (args, spool) for each call and
# gets back (JSON, stderr lines) or the CliError thrown in. Run to its end at once in background mode
# (a pipeline script waits for its job id), or one step per timer tick in the UI, which never blocks.
import bpy

from . import cli

# how often the UI looks at a running call: quick enough to feel immediate, rare enough to cost nothing
POLL_S = 0.2

_timers = set()


def run_now(command, steps):
    """Drives `steps` to its end, each call waited for; returns what it returns (or raises CliError)."""
    reply, error = None, None
    while True:
        try:
            request = steps.throw(error) if error else steps.send(reply)
        except StopIteration as stop:
            return stop.value
        try:
            reply, error = cli.run(command, *request), None
        except cli.CliError as failed:
            reply, error = None, failed


def run_later(command, steps, done):
    """Drives `steps` from a timer; `done(value, error)` is called once, on Blender's main thread."""
    state = {"call": None}

    def advance(send=None, throw=None):
        try:
            request = steps.throw(throw) if throw else steps.send(send)
        except StopIteration as stop:
            done(stop.value, None)
            return None
        except cli.CliError as error:
            done(None, error)
            return None
        except Exception as error:  # a bug in a step must still end the flow, not leave "working…" shown
            done(None, cli.CliError("add-on error: %s" % error))
            return None
        try:
            state["call"] = cli.Call(command, *request)
        except cli.CliError as error:
            return advance(throw=error)
        return POLL_S

    def tick():
        try:
            reply = state["call"].poll()
        except cli.CliError as error:
            reply, interval = None, advance(throw=error)
        else:
            interval = POLL_S if reply is None else advance(send=reply)
        if interval is None:
            _timers.discard(tick)
        return interval

    if advance() is not None:
        _timers.add(tick)
        # persistent: a file opened meanwhile does not drop the flow (and leave the panel "submitting…")
        bpy.app.timers.register(tick, first_interval=POLL_S, persistent=True)


def cancel_all():
    """Disabling the add-on stops its timers: none may call into unregistered classes."""
    for tick in list(_timers):
        if bpy.app.timers.is_registered(tick):
            bpy.app.timers.unregister(tick)
    _timers.clear()
