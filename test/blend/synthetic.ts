// Builds small .blend files in memory with a tiny SDNA of our own, so the pure core can be tested
// on layouts no Blender here writes: big-endian, 4-byte pointers, the 5.0 large heads, negative frames.
export interface SyntheticScene {
  name: string;
  sfra: number;
  efra: number;
  step?: number;
  imtype?: number;
  engine?: string;
  pic?: string;
  xsch?: number;
  ysch?: number;
  size?: number;
}

export interface SyntheticOptions {
  pointerSize: 4 | 8;
  endian: 'little' | 'big';
  large?: boolean;
  version?: number;
  /** 2.60+ keep imtype in r.im_format; older files only have r.imtype. */
  imFormat?: boolean;
  /** Width of the REND name field: 24, 64 or 256. */
  rendNameBytes?: number;
  /** Extra blocks before ENDB, e.g. a skipped DATA block. */
  extraBlocks?: { code: string; data: Uint8Array; sdnaIndex?: number }[];
}

type Member = [type: string, declarator: string];

const TYPES = ['char', 'short', 'int', 'void', 'ID', 'ImageFormatData', 'RenderData', 'Scene'];

export function buildBlend(scenes: SyntheticScene[], options: SyntheticOptions): Uint8Array {
  const { pointerSize, endian, large = false, imFormat = true, rendNameBytes = large ? 256 : 64 } = options;
  const little = endian === 'little';
  const structs: [string, Member[]][] = [
    ['ID', [['void', '*next'], ['char', 'name[66]'], ['char', '_pad[6]']]],
    ['ImageFormatData', [['char', 'imtype'], ['char', 'depth'], ['char', '_pad[2]']]],
    ['RenderData', [
      ...(imFormat ? [['ImageFormatData', 'im_format'] as Member] : []),
      ['int', 'sfra'], ['int', 'efra'], ['int', 'frame_step'], ['short', 'size'], ['short', 'imtype'],
      ['int', 'xsch'], ['int', 'ysch'], ['char', 'pic[1024]'], ['char', 'engine[32]'], ['int', '(*callback)()'],
    ]],
    ['Scene', [['ID', 'id'], ['void', '*camera'], ['RenderData', 'r']]],
  ];
  const lengths = new Map<string, number>([['char', 1], ['short', 2], ['int', 4], ['void', 0]]);
  for (const [name, members] of structs) lengths.set(name, members.reduce((sum, m) => sum + memberSize(m, lengths, pointerSize), 0));
  const out = new Writer(little);
  const version = options.version ?? (large ? 500 : 304);
  out.ascii(large ? `BLENDER17-01v${String(version).padStart(4, '0')}` : `BLENDER${pointerSize === 4 ? '_' : '-'}${little ? 'v' : 'V'}${version}`);
  const block = (code: string, data: Uint8Array, sdnaIndex = 0) => writeHead(out, code, data.length, sdnaIndex, { pointerSize, large }, little);
  for (const scene of scenes) {
    const rend = new Writer(little);
    rend.int32(scene.sfra).int32(scene.efra).fixedString(scene.name, rendNameBytes);
    block('REND', rend.bytes());
    out.raw(rend.bytes());
  }
  for (const scene of scenes) {
    const data = encodeScene(scene, little, pointerSize, imFormat);
    block(little ? 'SC' : '\0\0SC', data, 3);
    out.raw(data);
  }
  for (const extra of options.extraBlocks ?? []) {
    block(extra.code, extra.data, extra.sdnaIndex);
    out.raw(extra.data);
  }
  const dna = encodeSdna(structs, lengths, little);
  block('DNA1', dna);
  out.raw(dna);
  block('ENDB', new Uint8Array(0));
  return out.bytes();
}

function memberSize([type, declarator]: Member, lengths: Map<string, number>, pointerSize: number): number {
  const isPointer = declarator.startsWith('*') || declarator.startsWith('(*');
  const count = [...declarator.matchAll(/\[(\d+)\]/g)].reduce((product, m) => product * Number(m[1]), 1);
  return (isPointer ? pointerSize : lengths.get(type)!) * count;
}

function encodeScene(scene: SyntheticScene, little: boolean, pointerSize: number, imFormat: boolean): Uint8Array {
  const w = new Writer(little);
  w.zeros(pointerSize).fixedString(`SC${scene.name}`, 66).zeros(6); // id
  w.zeros(pointerSize); // *camera
  if (imFormat) w.uint8(scene.imtype ?? 17).uint8(8).zeros(2);
  w.int32(scene.sfra).int32(scene.efra).int32(scene.step ?? 1).int16(scene.size ?? 100).int16(imFormat ? 0 : (scene.imtype ?? 17));
  w.int32(scene.xsch ?? 1920).int32(scene.ysch ?? 1080).fixedString(scene.pic ?? '/tmp/', 1024).fixedString(scene.engine ?? 'CYCLES', 32);
  w.zeros(pointerSize); // (*callback)()
  return w.bytes();
}

function encodeSdna(structs: [string, Member[]][], lengths: Map<string, number>, little: boolean): Uint8Array {
  const names = [...new Set(structs.flatMap(([, members]) => members.map(([, declarator]) => declarator)))];
  const w = new Writer(little);
  w.ascii('SDNANAME').int32(names.length);
  for (const name of names) w.ascii(name + '\0');
  w.align4().ascii('TYPE').int32(TYPES.length);
  for (const type of TYPES) w.ascii(type + '\0');
  w.align4().ascii('TLEN');
  for (const type of TYPES) w.int16(lengths.get(type)!);
  w.align4().ascii('STRC').int32(structs.length);
  for (const [type, members] of structs) {
    w.int16(TYPES.indexOf(type)).int16(members.length);
    for (const [memberType, declarator] of members) w.int16(TYPES.indexOf(memberType)).int16(names.indexOf(declarator));
  }
  return w.bytes();
}

export function writeHead(out: Writer, code: string, length: number, sdnaIndex: number, layout: { pointerSize: 4 | 8; large: boolean }, little: boolean): void {
  out.ascii(code.padEnd(4, '\0'));
  if (layout.large) out.int32(sdnaIndex).zeros(8).int64(length).int64(1);
  else out.int32(length).zeros(layout.pointerSize).int32(sdnaIndex).int32(1);
}

/** A growable byte buffer with typed, endian-aware appends. */
export class Writer {
  #bytes: number[] = [];
  constructor(readonly little: boolean) {}
  bytes(): Uint8Array { return Uint8Array.from(this.#bytes); }
  raw(bytes: Uint8Array): this { for (const b of bytes) this.#bytes.push(b); return this; }
  ascii(text: string): this { for (const c of text) this.#bytes.push(c.charCodeAt(0)); return this; }
  zeros(count: number): this { for (let i = 0; i < count; i++) this.#bytes.push(0); return this; }
  align4(): this { while (this.#bytes.length % 4) this.#bytes.push(0); return this; }
  uint8(value: number): this { this.#bytes.push(value & 0xff); return this; }
  int16(value: number): this { return this.#number(2, (v, le) => v.setInt16(0, value, le)); }
  int32(value: number): this { return this.#number(4, (v, le) => v.setInt32(0, value, le)); }
  int64(value: number): this { return this.#number(8, (v, le) => v.setBigInt64(0, BigInt(value), le)); }
  fixedString(text: string, size: number): this {
    const encoded = new TextEncoder().encode(text).subarray(0, size - 1);
    return this.raw(encoded).zeros(size - encoded.length);
  }
  #number(size: number, set: (view: DataView, little: boolean) => void): this {
    const view = new DataView(new ArrayBuffer(size));
    set(view, this.little);
    return this.raw(new Uint8Array(view.buffer));
  }
}
