// A small project written by the installed Blender for the dependency tests: a relative and an
// absolute texture, a missing and a packed one, an image sequence, a sound, and a library that
// links another. Blender then reports, through bpy, every path it believes the file uses.
import { runBlenderScript } from './blender-run.js';

export interface DepsProject {
  main: string;
  /** bpy.utils.blend_paths(absolute=True) of main.blend, reopened. */
  bpyPaths: string[];
}

/** Writes `<root>/project/main.blend` (+ libs, textures) and `<root>/elsewhere/abs.png`. */
export async function writeDepsProject(blender: string, root: string): Promise<DepsProject> {
  return (await runBlenderScript(blender, DEPS_PROJECT_SCRIPT, [root])) as DepsProject;
}

const DEPS_PROJECT_SCRIPT = String.raw`
import bpy, json, os, sys, wave
root = sys.argv[sys.argv.index('--') + 1]
proj = os.path.join(root, 'project')
for d in ('textures', 'seq', 'sounds', 'libs/a', 'libs/b'):
    os.makedirs(os.path.join(proj, d), exist_ok=True)
os.makedirs(os.path.join(root, 'elsewhere'), exist_ok=True)

def png(path, color):
    img = bpy.data.images.new('tmp', 4, 4)
    img.pixels = list(color) * 16
    img.filepath_raw = path
    img.file_format = 'PNG'
    img.save()
    bpy.data.images.remove(img)

png(os.path.join(proj, 'textures/rel.png'), (1, 0, 0, 1))
png(os.path.join(root, 'elsewhere/abs.png'), (0, 1, 0, 1))
png(os.path.join(proj, 'libs/b/tex_b.png'), (0, 0, 1, 1))
for f in (1, 2, 3):
    png(os.path.join(proj, 'seq/frame_%04d.png' % f), (f / 3, f / 3, f / 3, 1))
with wave.open(os.path.join(proj, 'sounds/beep.wav'), 'wb') as w:
    w.setnchannels(1); w.setsampwidth(2); w.setframerate(8000); w.writeframes(b'\0\0' * 800)

def textured_object(name, image, x=0.0):
    bpy.ops.mesh.primitive_plane_add(location=(x, 0, 0))
    ob = bpy.context.active_object
    ob.name = name
    mat = bpy.data.materials.new(name + 'Mat')
    mat.use_nodes = True
    node = mat.node_tree.nodes.new('ShaderNodeTexImage')
    node.image = image
    mat.node_tree.links.new(node.outputs['Color'], mat.node_tree.nodes['Principled BSDF'].inputs['Base Color'])
    ob.data.materials.append(mat)
    return ob

# lib_b: an object whose material uses a texture beside it
bpy.ops.wm.read_homefile(use_empty=True)
lib_b = os.path.join(proj, 'libs/b/lib_b.blend')
bpy.ops.wm.save_as_mainfile(filepath=lib_b)
textured_object('Bob', bpy.data.images.load('//tex_b.png'))
bpy.ops.wm.save_as_mainfile(filepath=lib_b)

# lib_a: a collection holding its own object and Bob, linked from lib_b
bpy.ops.wm.read_homefile(use_empty=True)
lib_a = os.path.join(proj, 'libs/a/lib_a.blend')
bpy.ops.wm.save_as_mainfile(filepath=lib_a)
col = bpy.data.collections.new('ColA')
bpy.context.scene.collection.children.link(col)
with bpy.data.libraries.load('//../b/lib_b.blend', link=True, relative=True) as (src, dst):
    dst.objects = ['Bob']
col.objects.link(dst.objects[0])
bpy.ops.mesh.primitive_cube_add()
alice = bpy.context.active_object
alice.name = 'Alice'
bpy.context.scene.collection.objects.unlink(alice)
col.objects.link(alice)
bpy.ops.wm.save_as_mainfile(filepath=lib_a)

# main: links ColA from lib_a, uses textures (relative, absolute, missing, packed), a sequence, a sound
bpy.ops.wm.read_homefile(use_empty=True)
main = os.path.join(proj, 'main.blend')
bpy.ops.wm.save_as_mainfile(filepath=main)
with bpy.data.libraries.load('//libs/a/lib_a.blend', link=True, relative=True) as (src, dst):
    dst.collections = ['ColA']
inst = bpy.data.objects.new('ColA_instance', None)
inst.instance_type = 'COLLECTION'
inst.instance_collection = dst.collections[0]
bpy.context.scene.collection.objects.link(inst)
textured_object('Rel', bpy.data.images.load('//textures/rel.png'), -1.1)
textured_object('Abs', bpy.data.images.load(os.path.join(root, 'elsewhere/abs.png')), 1.1)
# a camera over the planes, a tiny Cycles render: the textures decide the pixels
cam = bpy.data.objects.new('Cam', bpy.data.cameras.new('Cam'))
cam.location = (0, 0, 6)
bpy.context.scene.collection.objects.link(cam)
s = bpy.context.scene
s.camera = cam
s.world = bpy.data.worlds.new('World')
s.frame_start, s.frame_end = 1, 1
s.render.engine = 'CYCLES'; s.cycles.samples = 1; s.cycles.use_denoising = False
s.render.resolution_x, s.render.resolution_y = 32, 18
s.render.filepath = '//out/f_####'
missing = bpy.data.images.new('Missing', 4, 4)
missing.source = 'FILE'
missing.filepath = '//textures/missing.png'
missing.use_fake_user = True
packed = bpy.data.images.load('//textures/rel.png', check_existing=False)
packed.name = 'Packed'
packed.pack()
packed.use_fake_user = True
seq = bpy.data.images.load('//seq/frame_0001.png')
seq.source = 'SEQUENCE'
seq.use_fake_user = True
snd = bpy.data.sounds.load('//sounds/beep.wav')
snd.use_fake_user = True
bpy.ops.wm.save_as_mainfile(filepath=main)

bpy.ops.wm.open_mainfile(filepath=main)
paths = sorted(set(bpy.utils.blend_paths(absolute=True)))
print('RESULT_JSON:' + json.dumps(dict(main=main, bpyPaths=paths)))
`;
