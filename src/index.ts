// renderd as a library: `import { Spool, Job, Group } from 'renderd'`.
export { Spool } from './api/spool.js';
export { Job, Group, toGraph, type Dependency } from './api/job.js';
export { parseGraph, orderGraph, type Graph, type GraphJob, type SubmittedJob } from './jobs/submission/index.js';
export type { SubmitOptions } from './api/spool.js';
export type { JobOptions, JobInput } from './jobs/build.js';
export type { JobSummary, ChunkSummary } from './jobs/summary.js';
export type { JobState } from './jobs/state.js';
export { parseFrameSpec, formatFrameSpec } from './frames/index.js';
export { FarmError, UsageError, InputError, NotFoundError } from './errors.js';
