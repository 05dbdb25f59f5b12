// Turns the kept blocks of a scan into the BlendInfo the farm uses: REND entries and every scene.
import type { BlendCompression, BlendInfo, BlendScene } from './types.js';
import type { BlockScan } from './block-scanner.js';
import { parseRendBlock } from './rend.js';
import { parseSdna } from './sdna.js';
import { decodeSceneBlock } from './scene.js';
import { corruptError } from './input-errors.js';

/** REND for the default scene, SC for every scene, DNA1 to decode SC; everything else is skipped. */
const WANTED_BLOCK_CODES: ReadonlySet<string> = new Set(['REND', 'SC', 'DNA1']);

export function isWantedBlock(code: string): boolean {
  return WANTED_BLOCK_CODES.has(code);
}

export function describeBlend(file: string, compression: BlendCompression, scan: BlockScan): BlendInfo {
  const { header, blocks } = scan;
  const renderScenes = blocks
    .filter((block) => block.head.code === 'REND')
    .map((block) => parseRendBlock(block.data, header.endian, file, block.offset));
  return {
    file,
    version: header.version,
    versionNumber: header.versionNumber,
    compression,
    pointerSize: header.pointerSize,
    endian: header.endian,
    headerFormat: header.headerFormat,
    renderScenes,
    scenes: decodeScenes(file, scan),
  };
}

function decodeScenes(file: string, { header, blocks }: BlockScan): BlendScene[] {
  const sceneBlocks = blocks.filter((block) => block.head.code === 'SC');
  if (sceneBlocks.length === 0) return [];
  const dna = blocks.find((block) => block.head.code === 'DNA1');
  if (!dna) throw corruptError(file, 'it has scenes but no DNA1 block to decode them');
  const sdna = parseSdna(dna.data, header.pointerSize, header.endian, file);
  return sceneBlocks.map((block) => decodeSceneBlock(sdna, block, file));
}
