// A Scene's render settings, read from its `SC` block through the file's SDNA. Field names are
// the DNA names in DNA_scene_types.h (`r` is the embedded RenderData), stable since 2.5x.
import type { BlendScene } from './types.js';
import type { Sdna } from './sdna.js';
import type { KeptBlock } from './block-scanner.js';
import { StructView } from './struct-view.js';
import { nameImageType } from './image-formats.js';
import { corruptError } from './input-errors.js';

/** ID names start with a two-letter type code (`SC` for scenes) that Blender never shows. */
const ID_CODE_LENGTH = 2;

export function decodeSceneBlock(sdna: Sdna, block: KeptBlock, file: string): BlendScene {
  const struct = sdna.structs[block.head.sdnaIndex];
  const structType = struct ? sdna.types[struct.typeIndex] : undefined;
  if (structType !== 'Scene') {
    throw corruptError(file, `SC block at byte ${block.offset} holds struct ${structType ?? `#${block.head.sdnaIndex}`}, not Scene`);
  }
  const scene = new StructView(sdna, 'Scene', block.data, file);
  return {
    name: (scene.readString('id.name') ?? '').slice(ID_CODE_LENGTH),
    frameStart: requireInt(scene, 'r.sfra'),
    frameEnd: requireInt(scene, 'r.efra'),
    frameStep: readFrameStep(scene),
    output: scene.readString('r.pic'),
    fileFormat: readFileFormat(scene),
    resolution: readResolution(scene),
    engine: scene.readString('r.engine'),
  };
}

function requireInt(scene: StructView, path: string): number {
  const value = scene.readInt(path);
  if (value === null) throw corruptError(scene.file, `its Scene struct has no ${path}`);
  return value;
}

/** Files from before frame_step existed (or with 0) render every frame, as Blender's versioning sets. */
function readFrameStep(scene: StructView): number {
  const step = scene.readInt('r.frame_step');
  return step === null || step < 1 ? 1 : step;
}

/** ImageFormatData (2.60+) holds the format; older files keep the same numbers in RenderData.imtype. */
function readFileFormat(scene: StructView): string | null {
  const imtype = scene.readInt('r.im_format.imtype') ?? scene.readInt('r.imtype');
  return imtype === null ? null : nameImageType(imtype);
}

function readResolution(scene: StructView): BlendScene['resolution'] {
  const x = scene.readInt('r.xsch');
  const y = scene.readInt('r.ysch');
  const percent = scene.readInt('r.size');
  return x === null || y === null || percent === null ? null : { x, y, percent };
}
