// Hooks: the scripts a chunk runs by stage, their environment, and the guarded runner.
export { discoverHooks, validateHookDir, snapshotHooks, stageOf, STAGES, type Stage, type HookScript } from './discover.js';
export { hookEnvironment, type HookContext } from './env.js';
export { runHook, type HookOutcome, type HookRunOptions } from './run.js';
export { runChunkHooks, type ChunkOutcome, type ChunkRunOptions } from './stages.js';
