# The add-on's preferences: where the `render` CLI is and the default spool.
import bpy


class RenderdPreferences(bpy.types.AddonPreferences):
    bl_idname = __package__

    render_cli: bpy.props.StringProperty(
        name="render command",
        description="Path of the `render` CLI (empty: the one recorded at install, then PATH)",
        subtype="FILE_PATH",
    )
    spool: bpy.props.StringProperty(
        name="Spool",
        description="The farm's spool folder when the panel leaves it empty (else $RENDER_SPOOL)",
        subtype="DIR_PATH",
    )

    def draw(self, context):
        layout = self.layout
        layout.prop(self, "render_cli")
        layout.prop(self, "spool")


def get(context):
    addon = context.preferences.addons.get(__package__)
    return addon.preferences if addon else None


def register():
    bpy.utils.register_class(RenderdPreferences)


def unregister():
    bpy.utils.unregister_class(RenderdPreferences)
