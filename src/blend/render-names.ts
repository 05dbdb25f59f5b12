// The names `render add --camera` and `--view-layer` are checked against: camera objects and view
// layers (render layers before 2.80), read through the file's SDNA.
import { scanStructs, structTypeOf } from './struct-scan.js';
import { StructView } from './struct-view.js';

export interface RenderNames {
  cameras: string[];
  viewLayers: string[];
}

/** Object.type for a camera (DNA_object_types.h OB_CAMERA). */
const OB_CAMERA = 11;
const WANTED = new Set(['Object', 'ViewLayer', 'SceneRenderLayer']);

export async function readRenderNames(file: string): Promise<RenderNames> {
  const { sdna, scan } = await scanStructs(file, (index, dna) => WANTED.has(structTypeOf(dna, index) ?? ''));
  const names: RenderNames = { cameras: [], viewLayers: [] };
  if (!sdna) return names;
  // 2.8+ files may still carry the old render layers for versioning: view layers win when there are any
  const renderLayers: string[] = [];
  for (const block of scan.blocks) {
    const type = structTypeOf(sdna, block.head.sdnaIndex)!;
    const size = sdna.typeLengths[sdna.structs[block.head.sdnaIndex].typeIndex];
    for (let i = 0; i < block.head.count && size > 0 && (i + 1) * size <= block.data.length; i++) {
      const view = new StructView(sdna, type, block.data.subarray(i * size, (i + 1) * size), file);
      if (type === 'Object') {
        if (view.readInt('type') === OB_CAMERA) names.cameras.push((view.readString('id.name') ?? '').slice(2));
      } else {
        const name = view.readString('name');
        const list = type === 'ViewLayer' ? names.viewLayers : renderLayers;
        if (name && !list.includes(name)) list.push(name);
      }
    }
  }
  if (names.viewLayers.length === 0) names.viewLayers = renderLayers;
  return names;
}
