// Linear scene light (an EXR) to 8-bit sRGB for a preview, the way Blender's "Standard" view shows it:
// scaled by 2^exposure, clamped to 0..1, then the sRGB transfer curve. A flat colour rendered to PNG
// with the Standard view and the same scene rendered to EXR give the same preview. NaN and negative
// values become black; highlights above 1 clip to white (no filmic roll-off: a preview, not a grade).

export function srgbByte(linear: number): number {
  const v = Number.isFinite(linear) ? Math.max(0, Math.min(1, linear)) : 0;
  const encoded = v <= 0.0031308 ? 12.92 * v : 1.055 * v ** (1 / 2.4) - 0.055;
  return Math.round(encoded * 255);
}

/** Steps of the 0..1 lookup: fine enough that no 8-bit value is skipped where the curve is steepest. */
const STEPS = 1 << 14;
const LUT = Uint8Array.from({ length: STEPS + 1 }, (_, i) => srgbByte(i / STEPS));

/** RGB floats to RGB bytes (a table lookup per value: a 4K frame is 25 million of them). */
export function toneMap(rgb: Float32Array, exposure = 0): Buffer {
  const scale = 2 ** exposure * STEPS;
  const out = Buffer.alloc(rgb.length);
  for (let i = 0; i < rgb.length; i++) {
    const v = rgb[i] * scale;
    out[i] = v > 0 ? (v < STEPS ? LUT[Math.round(v)] : 255) : 0; // NaN and negatives fall to 0
  }
  return out;
}
