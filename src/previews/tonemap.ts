// Linear scene light (an EXR) to 8-bit sRGB for a preview, the way Blender's "Standard" view shows it:
// scaled by 2^exposure, clamped to 0..1, then the sRGB transfer curve. A flat colour rendered to PNG
// with the Standard view and the same scene rendered to EXR give the same preview. NaN and negative
// values become black; highlights above 1 clip to white (no filmic roll-off: a preview, not a grade).

export function srgbByte(linear: number): number {
  const v = Number.isFinite(linear) ? Math.max(0, Math.min(1, linear)) : 0;
  const encoded = v <= 0.0031308 ? 12.92 * v : 1.055 * v ** (1 / 2.4) - 0.055;
  return Math.round(encoded * 255);
}

/** RGB floats to RGB bytes. */
export function toneMap(rgb: Float32Array, exposure = 0): Buffer {
  const scale = 2 ** exposure;
  const out = Buffer.alloc(rgb.length);
  for (let i = 0; i < rgb.length; i++) out[i] = srgbByte(rgb[i] * scale);
  return out;
}
