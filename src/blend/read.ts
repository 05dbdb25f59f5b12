// The I/O edge: streams a .blend from disk through its decompressor into the block scanner,
// keeping only the few blocks it needs and stopping at ENDB.
import { open, type FileHandle } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import type { BlendCompression, BlendInfo } from './types.js';
import { BlockScanner, type BlockScan } from './block-scanner.js';
import type { BlockHead } from './block-head.js';
import { MAGIC_PREFIX_BYTES, createInflateBudget, describeGzipError, detectCompression } from './compression.js';
import { createZstdDecoder } from './zstd.js';
import { describeBlend, isWantedBlock } from './describe.js';
import { notBlendError } from './input-errors.js';
import { FarmError, InputError } from '../errors.js';

const READ_CHUNK_BYTES = 1024 * 1024;

export async function readBlendInfo(file: string): Promise<BlendInfo> {
  const { compression, scan } = await scanBlendFile(file, isWantedBlock);
  return describeBlend(file, compression, scan);
}

/** Streams the file once, keeping the blocks `keep` asks for (other readers, e.g. deps/, choose their own). */
export async function scanBlendFile(file: string, keep: (code: string, head: BlockHead) => boolean): Promise<{ compression: BlendCompression; scan: BlockScan }> {
  const handle = await openBlend(file);
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw new InputError(file, `${file}: is a directory, not a .blend file`);
    const prefix = new Uint8Array(MAGIC_PREFIX_BYTES);
    const { bytesRead } = await handle.read(prefix, 0, prefix.length, 0);
    const compression = detectCompression(prefix.subarray(0, bytesRead));
    if (!compression) throw bytesRead === 0 ? notBlendError(file, 'empty file') : notBlendError(file);
    const scanner = new BlockScanner(file, keep);
    await streamInto(scanner, handle, compression, stat.size, file);
    return { compression, scan: scanner.finish() };
  } catch (error) {
    throw error instanceof FarmError ? error : describeReadError(file, error);
  } finally {
    await handle.close();
  }
}

async function openBlend(file: string): Promise<FileHandle> {
  try {
    return await open(file, 'r');
  } catch (error) {
    throw describeReadError(file, error);
  }
}

async function streamInto(scanner: BlockScanner, handle: FileHandle, compression: BlendCompression, size: number, file: string): Promise<void> {
  const raw = handle.createReadStream({ start: 0, highWaterMark: READ_CHUNK_BYTES, autoClose: false });
  try {
    if (compression === 'none') await pushAll(raw, scanner, (chunk) => scanner.push(chunk));
    else if (compression === 'zstd') await streamZstd(raw, scanner, size, file);
    else await streamGzip(raw, scanner, size, file);
  } finally {
    raw.destroy();
  }
}

async function streamZstd(raw: Readable, scanner: BlockScanner, size: number, file: string): Promise<void> {
  const spend = createInflateBudget(file, size);
  const decoder = createZstdDecoder(file, (data) => {
    spend(data.length);
    scanner.push(data);
  });
  await pushAll(raw, scanner, (chunk) => decoder.push(chunk, false));
  if (!scanner.ended) decoder.push(new Uint8Array(0), true);
}

async function streamGzip(raw: Readable, scanner: BlockScanner, size: number, file: string): Promise<void> {
  const spend = createInflateBudget(file, size);
  // large output chunks: a bomb inflates hundreds of MB before the budget stops it, in fewer round trips
  const gunzip = createGunzip({ chunkSize: 256 * 1024 });
  raw.on('error', (error) => gunzip.destroy(error));
  raw.pipe(gunzip);
  try {
    await pushAll(gunzip, scanner, (data) => {
      spend(data.length);
      scanner.push(data);
    });
  } catch (error) {
    throw error instanceof FarmError ? error : describeGzipError(file, error);
  } finally {
    gunzip.destroy();
  }
}

/** Feeds every chunk of `source` to `push` until the scanner has seen ENDB. */
async function pushAll(source: Readable, scanner: BlockScanner, push: (chunk: Uint8Array) => void): Promise<void> {
  for await (const chunk of source) {
    push(chunk as Uint8Array);
    if (scanner.ended) return;
  }
}

/** fs errors as one line naming the file; the code says which of the usual problems it is. */
function describeReadError(file: string, error: unknown): InputError {
  const code = (error as { code?: string }).code;
  if (code === 'ENOENT') return new InputError(file, `${file}: does not exist`, { cause: error });
  if (code === 'EACCES' || code === 'EPERM') return new InputError(file, `${file}: permission denied, cannot read it`, { cause: error });
  if (code === 'EISDIR') return new InputError(file, `${file}: is a directory, not a .blend file`, { cause: error });
  const reason = error instanceof Error ? error.message : String(error);
  return new InputError(file, `${file}: cannot read (${reason})`, { cause: error });
}
