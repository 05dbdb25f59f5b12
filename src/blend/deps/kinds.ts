// Which SDNA structs hold paths to files outside the .blend, and where. Names from Blender's
// DNA_*_types.h; older files call the same field `name` (2.4x–2.8x), so each lists its candidates.
// The same structs Blender's own BKE_bpath_foreach_path visits (and Blender Asset Tracer reads).

export type DependencyKind =
  | 'image' | 'image-sequence' | 'image-tiles' | 'movie'
  | 'library' | 'sound' | 'movieclip' | 'movieclip-sequence' | 'font' | 'volume' | 'volume-sequence'
  | 'cache-file' | 'point-cache' | 'fluid-cache' | 'ocean-cache' | 'mesh-cache';

export interface PathStruct {
  /** The SDNA struct type, e.g. `Image`. */
  struct: string;
  /** Path field names, newest first: the first the file's DNA has is used. */
  pathFields: string[];
  /** The kind, given a reader of the struct's integer and pointer fields; null: no file (generated, packed…). */
  classify(fields: StructFields): DependencyKind | null;
}

export interface StructFields {
  int(name: string): number | null;
  /** True when the pointer field exists and is not null. */
  pointerSet(name: string): boolean;
  /** For ListBase members: true when `name.first` is not null. */
  listSet(name: string): boolean;
}

/** Image.source (DNA_image_types.h): IMA_SRC_FILE 1, SEQUENCE 2, MOVIE 3, GENERATED 4, VIEWER 5, TILED 6. */
const IMAGE_SOURCES: Record<number, DependencyKind> = { 1: 'image', 2: 'image-sequence', 3: 'movie', 6: 'image-tiles' };
/** PointCache.flag: PTCACHE_DISK_CACHE — only then does it live in files. */
export const PTCACHE_DISK_CACHE = 64;
/** PointCache.flag: PTCACHE_EXTERNAL — its path names the folder; otherwise it is //blendcache_<file>/. */
export const PTCACHE_EXTERNAL = 256;

const isPacked = (fields: StructFields) => fields.pointerSet('packedfile') || fields.listSet('packedfiles');

export const PATH_STRUCTS: PathStruct[] = [
  {
    struct: 'Image',
    pathFields: ['filepath', 'name'],
    classify: (f) => (isPacked(f) ? null : IMAGE_SOURCES[f.int('source') ?? 1] ?? null),
  },
  { struct: 'Library', pathFields: ['filepath', 'name'], classify: () => 'library' },
  { struct: 'bSound', pathFields: ['filepath', 'name'], classify: (f) => (isPacked(f) ? null : 'sound') },
  {
    struct: 'MovieClip',
    pathFields: ['filepath', 'name'],
    // MCLIP_SRC_SEQUENCE 1, MCLIP_SRC_MOVIE 2
    classify: (f) => (f.int('source') === 1 ? 'movieclip-sequence' : 'movieclip'),
  },
  { struct: 'VFont', pathFields: ['filepath', 'name'], classify: (f) => (isPacked(f) ? null : 'font') },
  {
    struct: 'Volume',
    pathFields: ['filepath'],
    classify: (f) => (isPacked(f) ? null : f.int('is_sequence') ? 'volume-sequence' : 'volume'),
  },
  { struct: 'CacheFile', pathFields: ['filepath'], classify: () => 'cache-file' },
  {
    struct: 'PointCache',
    pathFields: ['path'],
    classify: (f) => ((f.int('flag') ?? 0) & PTCACHE_DISK_CACHE ? 'point-cache' : null),
  },
  { struct: 'FluidDomainSettings', pathFields: ['cache_directory'], classify: () => 'fluid-cache' },
  { struct: 'FluidsimSettings', pathFields: ['surfdataPath'], classify: () => 'fluid-cache' },
  { struct: 'OceanModifierData', pathFields: ['cachepath'], classify: (f) => (f.int('cached') ? 'ocean-cache' : null) },
  { struct: 'MeshCacheModifierData', pathFields: ['filepath'], classify: () => 'mesh-cache' },
];

/** Kinds whose stored path names a folder, not a file. */
export const FOLDER_KINDS: ReadonlySet<DependencyKind> = new Set(['point-cache', 'fluid-cache', 'ocean-cache']);
/** Kinds whose stored path is one file of several (frames, tiles). */
export const SEQUENCE_KINDS: ReadonlySet<DependencyKind> = new Set(['image-sequence', 'image-tiles', 'movieclip-sequence', 'volume-sequence']);
