# renderd for Blender: submit the open .blend to a renderd farm from Output Properties.
# The add-on never writes the spool itself: it runs the `render` CLI (render inspect --deps,
# render add, render list), the farm's one writer. A legacy add-on (bl_info) for 3.x and, with
# blender_manifest.toml beside it, an extension for 4.2+.

bl_info = {
    "name": "renderd",
    "author": "renderd",
    "version": (0, 1, 0),
    "blender": (3, 4, 0),
    "location": "Properties > Output > renderd",
    "description": "Submit this file to a renderd render farm and follow its jobs",
    "category": "Render",
}

if "bpy" in locals():
    # F8 / "Reload Scripts": pick up edited modules
    import importlib
    for _module in (cli, flows, preferences, properties, operators, panels):  # noqa: F821
        importlib.reload(_module)

import bpy  # noqa: E402,F401

from . import cli, flows, preferences, properties, operators, panels  # noqa: E402

_modules = (preferences, properties, operators, panels)


def register():
    for module in _modules:
        module.register()


def unregister():
    for module in reversed(_modules):
        module.unregister()
