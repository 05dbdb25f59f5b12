// Compositor nodes that read pixels across a tile's edge would seam a tiled frame: they are refused at
// submission, one line naming the node, read from the .blend's bNode blocks without Blender.
import { UsageError } from '../errors.js';
import { scanStructs, structTypeOf } from '../blend/struct-scan.js';
import { StructView } from '../blend/struct-view.js';

/** bNode.idname of compositor nodes whose output pixel depends on input pixels farther than a tile's overscan. */
export const SEAMING_NODES: Readonly<Record<string, string>> = {
  CompositorNodeGlare: 'Glare',
  CompositorNodeBlur: 'Blur',
  CompositorNodeBokehBlur: 'Bokeh Blur',
  CompositorNodeDefocus: 'Defocus',
  CompositorNodeDBlur: 'Directional Blur',
  CompositorNodeVecBlur: 'Vector Blur',
  CompositorNodeLensdist: 'Lens Distortion',
  CompositorNodeFilter: 'Filter',
  CompositorNodeDilateErode: 'Dilate/Erode',
  CompositorNodeDenoise: 'Denoise',
  CompositorNodeBilateralblur: 'Bilateral Blur',
  CompositorNodeTranslate: 'Translate',
  CompositorNodeTransform: 'Transform',
  CompositorNodeRotate: 'Rotate',
  CompositorNodeScale: 'Scale',
  CompositorNodeFlip: 'Flip',
  CompositorNodeMovieDistortion: 'Movie Distortion',
  CompositorNodeSunBeams: 'Sun Beams',
  CompositorNodeInpaint: 'Inpaint',
  CompositorNodeAntiAliasing: 'Anti-Aliasing',
  CompositorNodeNormalize: 'Normalize',
  CompositorNodeLevels: 'Levels',
  CompositorNodeCrop: 'Crop',
};

/** Each seaming node in the file, as `Label ('node name')`: pure over the names read. */
export function seamingNodes(nodes: ReadonlyArray<{ idname: string; name: string; muted?: boolean }>): string[] {
  return nodes.filter((n) => n.idname in SEAMING_NODES && !n.muted).map((n) => `${SEAMING_NODES[n.idname]} ('${n.name}')`);
}

/** bNode.flag bit of a muted node (DNA_node_types.h NODE_MUTED). */
const NODE_MUTED = 1 << 9;

export async function readNodeNames(file: string): Promise<Array<{ idname: string; name: string; muted: boolean }>> {
  const { sdna, scan } = await scanStructs(file, (index, dna) => structTypeOf(dna, index) === 'bNode');
  if (!sdna) return [];
  return scan.blocks.map((block) => {
    const view = new StructView(sdna, 'bNode', block.data, file);
    return { idname: view.readString('idname') ?? '', name: view.readString('name') ?? '', muted: ((view.readInt('flag') ?? 0) & NODE_MUTED) !== 0 };
  });
}

export async function refuseSeamingNodes(file: string): Promise<void> {
  const found = seamingNodes(await readNodeNames(file));
  if (found.length) {
    throw new UsageError(`--tiles: the compositor's ${found[0]} node reads pixels across tile edges and would seam the frame${found.length > 1 ? ` (and ${found.length - 1} more)` : ''}; render it whole, or mute the node`);
  }
}
