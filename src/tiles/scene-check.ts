// What a tiled frame needs from Blender after the merge, read from the .blend without Blender: denoising
// (Cycles with OpenImageDenoise) and compositor nodes that read pixels across a tile's edge would seam a
// frame rendered in tiles, so the tiles render passes only and the merge runs both on the whole frame.
import { UsageError } from '../errors.js';
import type { TileCompositor } from './geometry.js';
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

export interface SceneNeeds {
  scene: string;
  /** How the scene's Cycles render denoises ('off' for other engines). */
  denoiser: 'off' | 'optix' | 'oidn';
  nodes: ReadonlyArray<{ idname: string; name: string; muted?: boolean }>;
  /** The job's format. */
  format: string;
}

/**
 * Whether the merge must finish the frame in Blender (and denoise it), or one line saying why it cannot: pure.
 * Blender writes the finished frame with the scene's image settings, but a multilayer EXR of a composited
 * frame would hold the composite only, without the passes a whole render writes.
 */
export function mergeCompositor(needs: SceneNeeds): TileCompositor | undefined {
  const { scene, denoiser, nodes, format } = needs;
  if (denoiser === 'optix') {
    throw new UsageError(`--tiles: scene '${scene}' denoises with OptiX, which the merge cannot run on the whole frame (denoised tiles would seam); denoise with OpenImageDenoise, or render it whole`);
  }
  const seaming = seamingNodes(nodes);
  if (denoiser === 'off' && seaming.length === 0) return undefined;
  if (format === 'OPEN_EXR_MULTILAYER') {
    const why = denoiser === 'oidn' ? `scene '${scene}' denoises` : `the compositor's ${seaming[0]} node reads pixels across tile edges`;
    throw new UsageError(`--tiles: ${why}, so the merge finishes the whole frame in Blender, which writes no multilayer EXR of it; use --format OPEN_EXR or PNG, or render it whole`);
  }
  return { denoise: denoiser === 'oidn', format };
}

/** The merge's Blender runs OpenImageDenoise: to denoise the frame, or for a Denoise node of the compositor. */
export function mergeNeedsOidn(compositor: TileCompositor | undefined, nodes: SceneNeeds['nodes']): boolean {
  return compositor !== undefined && (compositor.denoise || nodes.some((n) => n.idname === 'CompositorNodeDenoise' && !n.muted));
}
