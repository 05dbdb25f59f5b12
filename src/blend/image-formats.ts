// ImageFormatData.imtype numbers → the names bpy reports as `render.image_settings.file_format`.
// Numbers: the R_IMF_IMTYPE_* enum next to ImageFormatData in blender/blender's makesdna/DNA_scene_types.h;
// names: the R_IMF_ENUM_* items of makesrna/intern/rna_scene.cc (rna_enum_image_type_items).
// Old files store the same numbers in RenderData.imtype. Gaps (2, 3, 5…) were never output formats.
const IMAGE_TYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [0, 'TARGA'],
  [1, 'IRIS'],
  [4, 'JPEG'],
  [7, 'IRIZ'],
  [14, 'TARGA_RAW'],
  [15, 'AVI_RAW'],
  [16, 'AVI_JPEG'],
  [17, 'PNG'],
  [18, 'AVICODEC'],
  [19, 'QUICKTIME'],
  [20, 'BMP'],
  [21, 'HDR'],
  [22, 'TIFF'],
  [23, 'OPEN_EXR'],
  [24, 'FFMPEG'],
  [25, 'FRAMESERVER'],
  [26, 'CINEON'],
  [27, 'DPX'],
  [28, 'OPEN_EXR_MULTILAYER'],
  [29, 'DDS'],
  [30, 'JPEG2000'],
  [31, 'H264'],
  [32, 'XVID'],
  [33, 'THEORA'],
  [34, 'PSD'],
  [35, 'WEBP'],
  [36, 'AV1'],
  [37, 'AVIF'],
]);

/** `IMTYPE_<n>` for numbers this table does not know, so a newer Blender's format is still visible. */
export function nameImageType(imtype: number): string {
  return IMAGE_TYPE_NAMES.get(imtype) ?? `IMTYPE_${imtype}`;
}
