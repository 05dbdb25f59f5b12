// A zstd encoder that only stores (raw blocks): enough to give the pure core valid zstd streams
// in tests, since Node 20 has no zstd compressor. Layout: RFC 8878 §3.1.1.
const MAX_RAW_BLOCK_BYTES = 128 * 1024;

/** Frames of `frameBytes` each (Blender writes ~1 MiB frames), then a skippable frame like its seek table. */
export function zstdStore(data: Uint8Array, frameBytes = 256 * 1024): Uint8Array {
  const parts: number[] = [];
  for (let start = 0; start < data.length || start === 0; start += frameBytes) {
    const frame = data.subarray(start, Math.min(data.length, start + frameBytes));
    pushUint(parts, 0xfd2fb528, 4);
    parts.push(0xa0); // 4-byte content size, single segment, no checksum, no dictionary
    pushUint(parts, frame.length, 4);
    for (let at = 0; at < frame.length || at === 0; at += MAX_RAW_BLOCK_BYTES) {
      const block = frame.subarray(at, Math.min(frame.length, at + MAX_RAW_BLOCK_BYTES));
      const isLast = at + MAX_RAW_BLOCK_BYTES >= frame.length ? 1 : 0;
      pushUint(parts, (block.length << 3) | isLast, 3); // type 0 = raw
      for (const byte of block) parts.push(byte);
      if (frame.length === 0) break;
    }
    if (data.length === 0) break;
  }
  pushUint(parts, 0x184d2a5e, 4); // skippable frame, as Blender's seek table
  pushUint(parts, 4, 4);
  pushUint(parts, 0, 4);
  return Uint8Array.from(parts);
}

export function pushUint(parts: number[], value: number, bytes: number): void {
  for (let i = 0; i < bytes; i++) parts.push(Math.floor(value / 256 ** i) & 0xff);
}
