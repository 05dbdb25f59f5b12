# The merge of a tiled still whose frame is finished by Blender (issue 29): its tiles rendered Cycles'
# passes into multilayer EXRs with denoising and the compositor off; the merge assembled them into one
# multilayer EXR of the whole frame; this script, run as
#   blender -b FILE [-S SCENE] --python-exit-code 2 --python tiles-composite.py -- MERGED OUTPUT DENOISE FORMAT [LAYER]
# runs the scene's compositor over that frame (its Render Layers nodes read from MERGED instead) with, when
# DENOISE is 1, a Denoise node (OpenImageDenoise, with the Denoising Albedo and Normal passes) between each
# layer's image and what reads it; no scene is rendered (a tree without Render Layers renders nothing).
# The frame is saved at OUTPUT with the scene's own image settings and colour management (FORMAT: `-F`).
# LAYER: the one view layer the job renders (`render add --view-layer`), else every enabled one.
import sys

import bpy


def fail(text):
    print("tiles-merge: %s" % text, file=sys.stderr)
    raise SystemExit(2)


def layer_tree(scene, only_layer):
    """The scene's compositor, or (none in use) the one a render without it amounts to: layer -> Composite."""
    if scene.use_nodes and scene.node_tree is not None:
        return scene.node_tree
    used = [only_layer] if only_layer else [layer.name for layer in scene.view_layers if layer.use]
    if len(used) != 1:
        fail("scene %r renders %d view layers and no compositor: which one the frame holds is Blender's choice; "
             "tile one layer (--view-layer or --each-view-layer)" % (scene.name, len(used)))
    scene.use_nodes = True
    tree = scene.node_tree
    tree.nodes.clear()
    source = tree.nodes.new("CompositorNodeRLayers")
    source.layer = used[0]
    composite = tree.nodes.new("CompositorNodeComposite")
    tree.links.new(source.outputs["Image"], composite.inputs["Image"])
    return tree


def merged_output(image_node, name):
    """The Image node's socket for a Render Layers output: the same pass name (its "Image" is "Combined")."""
    socket = image_node.outputs.get("Combined" if name == "Image" else name)
    if socket is None:
        fail("the merged frame has no pass %r for layer %r (its tiles did not write it)" % (name, image_node.layer))
    return socket


def denoised(tree, image_node):
    """A Denoise node fed with the layer's noisy image and its denoising passes, as Cycles' own denoiser."""
    node = tree.nodes.new("CompositorNodeDenoise")
    node.use_hdr = True
    if hasattr(node, "prefilter"):  # 4.x: Cycles prefilters albedo and normal ("Accurate") by default
        node.prefilter = "ACCURATE"
    tree.links.new(merged_output(image_node, "Image"), node.inputs["Image"])
    tree.links.new(merged_output(image_node, "Denoising Normal"), node.inputs["Normal"])
    tree.links.new(merged_output(image_node, "Denoising Albedo"), node.inputs["Albedo"])
    return node.outputs["Image"]


def read_from_merged(scene, tree, image, denoise):
    for source in [n for n in tree.nodes if n.bl_idname == "CompositorNodeRLayers"]:
        if source.scene is not None and source.scene != scene:
            fail("the compositor's %r reads scene %r: a tiled frame holds this scene's layers only" % (source.name, source.scene.name))
        reader = tree.nodes.new("CompositorNodeImage")
        reader.image = image
        reader.layer = source.layer
        combined = denoised(tree, reader) if denoise else None
        for link in [l for l in tree.links if l.from_node == source]:
            name = link.from_socket.name
            from_socket = combined if combined is not None and name == "Image" else merged_output(reader, name)
            tree.links.new(from_socket, link.to_socket)
        tree.nodes.remove(source)


def main():
    merged, output, denoise, file_format, *rest = sys.argv[sys.argv.index("--") + 1:] + [""]
    scene = bpy.context.scene
    if denoise == "1":
        import _cycles
        if not _cycles.with_openimagedenoise:
            fail("Build without OpenImageDenoiser: this Blender cannot denoise the merged frame")
    image = bpy.data.images.load(merged)
    tree = layer_tree(scene, rest[0])
    read_from_merged(scene, tree, image, denoise == "1")
    render = scene.render
    render.use_border, render.use_compositing = False, True
    if file_format:
        render.image_settings.file_format = file_format
    bpy.ops.render.render(write_still=False)
    bpy.data.images["Render Result"].save_render(filepath=output, scene=scene)
    print("tiles-merge: composited %s into %s" % (merged, output))


main()
