// The one way a job gets onto the spool: raw options read once, bounds checked in one place, paths
// mapped per machine, dependencies preflighted, then written. The CLI, the ui, the web page and the
// library parse their own input and hand it here.
export { JOB_BOUNDS, parseBounded, checkPriority, clampPriority, checkPoolName, type BoundedOption } from '../bounds.js';
export { blendInput, commandInput, schedulingOptions, type RawBlendOptions, type RawScheduling, type BlendInput, type CommandInput } from './raw-options.js';
export { prepareJob, writeJob, submitOne, type PreparedJob, type SubmissionEnv } from './pipeline.js';
export { submitBlend, submitEach, type SubmittedBlend, type Tiler } from './blend.js';
export { orderGraph, parseGraph, splitDependencies, type Graph, type GraphJob } from './graph.js';
export { submitGraph, type SubmittedJob } from './submit-graph.js';
