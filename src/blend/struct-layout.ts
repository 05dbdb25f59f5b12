// Where each member of an SDNA struct sits: offsets are the running sum of member sizes, because
// makesdna makes every struct spell out its own padding (no implicit alignment gaps in DNA).
import type { Sdna } from './sdna.js';

export interface FieldLayout {
  /** The member name without `*`, `(*…)()` or `[n]`, e.g. `name`, `next`, `func`. */
  name: string;
  /** The member's type name, e.g. `char`, `int`, `RenderData`. */
  type: string;
  /** Offset in bytes from the start of the struct the lookup began at. */
  offset: number;
  /** Total size in bytes (element size × element count). */
  size: number;
  elementSize: number;
  /** Product of the array dimensions; 1 for a scalar. */
  count: number;
  isPointer: boolean;
}

const layoutCache = new WeakMap<Sdna, Map<number, Map<string, FieldLayout>>>();

/** The members of struct `structIndex` by bare name (first one wins, as in Blender's lookup). */
export function layoutStruct(sdna: Sdna, structIndex: number): Map<string, FieldLayout> {
  let perSdna = layoutCache.get(sdna);
  if (!perSdna) layoutCache.set(sdna, (perSdna = new Map()));
  const cached = perSdna.get(structIndex);
  if (cached) return cached;
  const fields = new Map<string, FieldLayout>();
  let offset = 0;
  for (const member of sdna.structs[structIndex].members) {
    const field = describeMember(sdna, member.typeIndex, member.declarator, offset);
    if (!fields.has(field.name)) fields.set(field.name, field);
    offset += field.size;
  }
  perSdna.set(structIndex, fields);
  return fields;
}

/** Follows a dotted path of embedded structs, e.g. `r.im_format.imtype`; null if any step is missing. */
export function resolveFieldPath(sdna: Sdna, structType: string, path: string): FieldLayout | null {
  let structIndex = sdna.structByType.get(structType);
  let base = 0;
  const steps = path.split('.');
  for (let i = 0; i < steps.length; i++) {
    if (structIndex === undefined) return null;
    const field = layoutStruct(sdna, structIndex).get(steps[i]);
    if (!field) return null;
    if (i === steps.length - 1) return { ...field, offset: base + field.offset };
    // only an embedded struct (not a pointer to one, not an array of them) can be walked into
    if (field.isPointer || field.count !== 1) return null;
    base += field.offset;
    structIndex = sdna.structByType.get(field.type);
  }
  return null;
}

function describeMember(sdna: Sdna, typeIndex: number, declarator: string, offset: number): FieldLayout {
  const isPointer = declarator.startsWith('*') || declarator.startsWith('(*');
  const name = declarator.replace(/^\(?\**/, '').replace(/[)[].*$/, '');
  let count = 1;
  for (const match of declarator.matchAll(/\[(\d+)\]/g)) count *= Number(match[1]);
  const elementSize = isPointer ? sdna.pointerSize : sdna.typeLengths[typeIndex];
  return { name, type: sdna.types[typeIndex], offset, size: elementSize * count, elementSize, count, isPointer };
}
