// What a .blend file tells the farm without Blender: the shapes every part of src/blend/ shares.

export type BlendCompression = 'none' | 'gzip' | 'zstd';
export type BlendEndian = 'little' | 'big';

/** The file header: `BLENDER-v304` (legacy, 12 bytes) or `BLENDER17-01v0500` (large, 17 bytes). */
export interface BlendHeader {
  /** e.g. "2.48", "3.4", "5.0". */
  version: string;
  /** e.g. 248, 304, 500. */
  versionNumber: number;
  pointerSize: 4 | 8;
  endian: BlendEndian;
  headerFormat: 'legacy' | 'large';
  /** Header length in bytes: where the first block head starts. */
  size: number;
}

/** One entry of a REND block: a scene Blender renders when run in the background. */
export interface RenderScene {
  name: string;
  frameStart: number;
  frameEnd: number;
}

export interface BlendResolution {
  x: number;
  y: number;
  percent: number;
}

/** A scene as decoded from its `SC` block; null where the file's DNA has no such field. */
export interface BlendScene {
  name: string;
  frameStart: number;
  frameEnd: number;
  frameStep: number;
  output: string | null;
  /** Blender's enum name for the output format, e.g. PNG, OPEN_EXR; `IMTYPE_<n>` if unknown. */
  fileFormat: string | null;
  resolution: BlendResolution | null;
  engine: string | null;
}

export interface BlendInfo {
  file: string;
  version: string;
  versionNumber: number;
  compression: BlendCompression;
  pointerSize: 4 | 8;
  endian: BlendEndian;
  headerFormat: 'legacy' | 'large';
  /** REND blocks in file order: the first is the scene `blender -b file -a` renders. */
  renderScenes: RenderScene[];
  /** Every scene in the file, in file order. */
  scenes: BlendScene[];
}
