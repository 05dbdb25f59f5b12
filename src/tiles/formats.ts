// The formats a merge writes exactly as Blender would have: PNG through sharp (8 and 16 bits, grey,
// RGB, RGBA), OpenEXR (half, float, multilayer with every pass) through our own scanline reader/writer.
export const MERGEABLE_FORMATS: readonly string[] = ['PNG', 'OPEN_EXR', 'OPEN_EXR_MULTILAYER'];
