// Whether a Cycles scene denoises its renders with OpenImageDenoise, read without Blender: Cycles keeps
// its settings as ID properties of the scene (a group "cycles": use_denoising, denoiser), saved only
// when set — absent, Cycles' defaults hold. A node whose Blender lacks OIDN fails such a scene with
// "Build without OpenImageDenoiser" (Debian's 3.4 and trixie's 4.3), so the job must wait for one with it.
import { scanStructs, structTypeOf } from './struct-scan.js';
import { StructView } from './struct-view.js';
import type { Sdna } from './sdna.js';
import { pointerKey } from './block-head.js';

// eIDPropertyType (DNA_ID.h): integers, and booleans from 4.x, hold enum values and flags
const IDP_INT = 1;
const IDP_GROUP = 6;
const IDP_BOOLEAN = 10;
/** Cycles' DenoiserType (intern/cycles/integrator/denoiser.h): OptiX is a GPU denoiser, not OIDN. */
const DENOISER_OPTIX = 2;
/** Cycles' use_denoising defaults to on from 3.0 (intern/cycles/blender/addon/properties.py). */
const DENOISE_BY_DEFAULT_FROM = 300;
/** Properties followed at most: a group's list that loops is a corrupt file, not a hang. */
const MAX_PROPERTIES = 100_000;

type Props = Map<string, StructView>;

/** The scene's (top-level) ID properties by name: `system_properties` from 5.0, `properties` before. */
function sceneProperties(scene: StructView, props: Props): Map<string, StructView> {
  const root = scene.has('id.system_properties') ? scene.readPointer('id.system_properties') : scene.readPointer('id.properties');
  return root ? groupMembers(props.get(root), props) : new Map();
}

function groupMembers(group: StructView | undefined, props: Props): Map<string, StructView> {
  const members = new Map<string, StructView>();
  if (!group || group.readInt('type') !== IDP_GROUP) return members;
  let next = group.readPointer('data.group.first');
  for (let i = 0; next && i < MAX_PROPERTIES; i++) {
    const member = props.get(next);
    if (!member) break;
    members.set(member.readString('name') ?? '', member);
    next = member.readPointer('next');
  }
  return members;
}

function intValue(prop: StructView | undefined): number | undefined {
  const type = prop?.readInt('type');
  return type === IDP_INT || type === IDP_BOOLEAN ? prop!.readInt('data.val') ?? undefined : undefined;
}

/** True when scene `sceneName` (a Cycles scene of a file saved by `versionNumber`, e.g. 304) denoises with OIDN. */
export async function denoisesWithOidn(file: string, sceneName: string, versionNumber: number): Promise<boolean> {
  const denoiser = await cyclesDenoiser(file, sceneName, versionNumber);
  return denoiser !== 'off' && denoiser !== 'optix';
}

/** How scene `sceneName`'s Cycles render denoises: off, with OptiX, or otherwise (OpenImageDenoise). */
export async function cyclesDenoiser(file: string, sceneName: string, versionNumber: number): Promise<'off' | 'optix' | 'oidn'> {
  const wanted = new Set(['Scene', 'IDProperty']);
  const { sdna, scan } = await scanStructs(file, (index, dna) => wanted.has(structTypeOf(dna, index) ?? ''));
  if (!sdna) return 'off';
  const props: Props = new Map();
  let scene: StructView | undefined;
  for (const block of scan.blocks) {
    const type = structTypeOf(sdna, block.head.sdnaIndex)!;
    const view = new StructView(sdna, type, block.data.subarray(0, structSize(sdna, block.head.sdnaIndex)), file);
    if (type === 'IDProperty') props.set(pointerKey(block.head.oldHigh, block.head.oldLow), view);
    else if ((view.readString('id.name') ?? '').slice(2) === sceneName) scene = view;
  }
  if (!scene) return 'off';
  const cycles = groupMembers(sceneProperties(scene, props).get('cycles'), props);
  const denoising = intValue(cycles.get('use_denoising')) ?? (versionNumber >= DENOISE_BY_DEFAULT_FROM ? 1 : 0);
  if (denoising === 0) return 'off';
  return intValue(cycles.get('denoiser')) === DENOISER_OPTIX ? 'optix' : 'oidn';
}

function structSize(sdna: Sdna, sdnaIndex: number): number {
  return sdna.typeLengths[sdna.structs[sdnaIndex].typeIndex];
}
