// The formats a merge writes exactly as Blender would have, by our own codecs (png.ts, exr.ts): PNG 8 and
// 16 bits, grey, RGB, RGBA; OpenEXR half, float or uint, single-layer or multilayer with every pass.
export const MERGEABLE_FORMATS: readonly string[] = ['PNG', 'OPEN_EXR', 'OPEN_EXR_MULTILAYER'];
