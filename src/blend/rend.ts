// REND blocks: `{ int sfra; int efra; char scene_name[] }`, one per scene Blender renders in the
// background (writefile.cc write_renderinfo). The name takes the rest of the block: 24 bytes in
// very old files (length 32), 64 through 4.5 (length 72), 256 from 5.0 (length 264).
import type { BlendEndian, RenderScene } from './types.js';
import { corruptError } from './input-errors.js';

const FRAMES_SIZE = 8;
const utf8 = new TextDecoder('utf-8');

export function parseRendBlock(data: Uint8Array, endian: BlendEndian, file: string, offset: number): RenderScene {
  if (data.length < FRAMES_SIZE) throw corruptError(file, `REND block at byte ${offset} is only ${data.length} bytes`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const little = endian === 'little';
  const nameBytes = data.subarray(FRAMES_SIZE);
  const end = nameBytes.indexOf(0);
  return {
    name: utf8.decode(end < 0 ? nameBytes : nameBytes.subarray(0, end)),
    frameStart: view.getInt32(0, little),
    frameEnd: view.getInt32(4, little),
  };
}
