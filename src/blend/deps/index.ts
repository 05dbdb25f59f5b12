// Dependencies of a .blend, decoded from the file itself: images, libraries, sounds, clips, fonts,
// volumes, caches. `render inspect --deps`, the checks of `render add` and `--pack` use it.
export { findDependencies, type Dependency } from './find.js';
export { readStoredPaths, type StoredPaths } from './scan.js';
export { listDependencyFiles, resolveBlendPath } from './resolve.js';
export type { DependencyKind } from './kinds.js';
export type { StoredPath } from './collect.js';
