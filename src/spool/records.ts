// The spool's record types and their validators. Every record carries `v`, the format version.
import { SpoolFormatError } from '../errors.js';
import { parseJson } from './atomic.js';
import { CHUNK_STATES, SAFE_NAME, type ChunkState } from './layout.js';
import * as s from './schema.js';

export const FORMAT_VERSION = 1;

const name = s.matching(SAFE_NAME, 'a safe name (letters, digits, . _ -)');
const version = s.literal(FORMAT_VERSION);
const tags = s.array(s.string(64), 64);

const jobShape = {
  v: version,
  id: name,
  name: s.string(256),
  owner: s.string(128),
  kind: s.literal('blender', 'exec'),
  createdAt: s.string(64),
  host: s.string(256),
  cwd: s.string(),
  file: s.optional(s.string()),
  scene: s.optional(s.string(256)),
  output: s.optional(s.string()),
  format: s.optional(s.string(64)),
  /** Blender jobs: the camera object and the one view layer to render (empty: the scene's). */
  camera: s.optional(s.string(256)),
  viewLayer: s.optional(s.string(256)),
  /** Blender jobs: the .blend's own scripts (drivers, registered text blocks) run; Blender's default is off. */
  autoexec: s.optional(s.boolean),
  /** `gpu`: only nodes with a GPU --device take it; `cpu`: rendered on the CPU wherever it runs. */
  device: s.optional(s.literal('gpu', 'cpu')),
  /** `file` and `output` under a project root, as `{root}/relative` (roots.json): each node maps them. */
  fileRooted: s.optional(s.string()),
  outputRooted: s.optional(s.string()),
  command: s.optional(s.array(s.string(), 4096)),
  frames: s.string(1_000_000),
  chunkSize: s.integer,
  chunks: s.integer,
  priority: s.integer,
  pool: s.optional(s.string(64)),
  tags: s.optional(tags),
  after: s.array(name, 1000),
  /** Jobs to wait for whatever their end (`--after JOB:any`), where `after` waits for done. */
  afterAny: s.optional(s.array(name, 1000)),
  retries: s.integer,
  timeoutMs: s.optional(s.integer),
  noOverwrite: s.boolean,
  paused: s.boolean,
  minRamBytes: s.optional(s.number),
  maxNodes: s.optional(s.integer),
  /** Not claimed before this time (ms since the epoch, on the claiming node's clock). */
  startAt: s.optional(s.integer),
  license: s.optional(name),
  retryDelayMs: s.optional(s.integer),
  silenceTimeoutMs: s.optional(s.integer),
  /** The job fails once this many chunks have failed, without running the rest. */
  maxFailedChunks: s.optional(s.integer),
  /** Set when maxFailedChunks was reached: no more chunks are claimed. */
  failedEarly: s.optional(s.boolean),
  /** Why the job failed without running its chunks (--max-failed, a dependency that failed or went). */
  failedReason: s.optional(s.string(500)),
  /** The dependency whose failure or removal failed this job: `render retry` of it brings this one back. */
  failedDependency: s.optional(name),
  /** Blender jobs: major.minor of the Blender that saved the file; older Blenders cannot open it. */
  blenderNeeds: s.optional(s.string(16)),
  /** Blender jobs: runs only on this major.minor (`render add --blender 4.5`). */
  blenderPin: s.optional(s.string(16)),
  /** Blender jobs: the scene denoises with OpenImageDenoise, which some builds lack. */
  needsOidn: s.optional(s.boolean),
  /** A command job that runs the node's Blender (a tiled still's merge that finishes the frame): judged as a Blender job. */
  runsBlender: s.optional(s.boolean),
  /** A tiled still (`--tiles`): each chunk renders one tile of one frame; its merge is a job of its own. */
  tiles: s.optional(s.object({
    cols: s.integer, rows: s.integer, overscan: s.integer, width: s.integer, height: s.integer,
    compositor: s.optional(s.object({ denoise: s.boolean, format: s.string(64) })),
  })),
  /** Jobs submitted together (`--each-view-layer`, `--each-camera`, a tiled still and its merge). */
  group: s.optional(s.string(256)),
};
export type JobRecord = ReturnType<ReturnType<typeof s.object<typeof jobShape>>>;

/** Which renderd process: enough for another on the same kernel to check its pid, else its heartbeat. */
const processShape = {
  instance: s.string(64),
  host: s.string(256),
  bootId: s.string(64),
  pidns: s.string(64),
  pid: s.integer,
  pidStart: s.optional(s.string(32)),
};

const holderShape = { node: name, ...processShape };
export type Holder = ReturnType<ReturnType<typeof s.object<typeof holderShape>>>;

const progressShape = {
  frame: s.optional(s.integer),
  framesDone: s.optional(s.integer),
  sample: s.optional(s.object({ done: s.integer, total: s.integer })),
  peakMemMB: s.optional(s.number),
};
export type ChunkProgressRecord = ReturnType<ReturnType<typeof s.object<typeof progressShape>>>;

const attemptShape = {
  attempt: s.integer,
  node: s.string(128),
  outcome: s.literal('done', 'failed', 'lost', 'stopped'),
  startedAt: s.optional(s.string(64)),
  endedAt: s.optional(s.string(64)),
  error: s.optional(s.string(2000)),
  peakMemMB: s.optional(s.number),
};
export type AttemptRecord = ReturnType<ReturnType<typeof s.object<typeof attemptShape>>>;

const chunkShape = {
  v: version,
  job: name,
  id: name,
  frames: s.array(s.integer, 1_000_000),
  state: s.literal(...CHUNK_STATES),
  rev: s.integer,
  attempt: s.integer,
  failures: s.integer,
  token: s.optional(s.string(64)),
  holder: s.optional(s.object(holderShape)),
  startedAt: s.optional(s.string(64)),
  endedAt: s.optional(s.string(64)),
  error: s.optional(s.string(2000)),
  /** After a failure with --retry-delay: not claimed before this time (claimer's clock). */
  retryAfter: s.optional(s.integer),
  progress: s.optional(s.object(progressShape)),
  history: s.array(s.object(attemptShape), 1000),
};
export type ChunkRecord = Omit<ReturnType<ReturnType<typeof s.object<typeof chunkShape>>>, 'state'> & { state: ChunkState };

const nodeShape = {
  v: version,
  name,
  ...processShape,
  startedAt: s.string(64),
  beat: s.integer,
  state: s.literal('running', 'paused', 'draining', 'stopping'),
  slots: s.integer,
  pool: s.optional(s.string(64)),
  tags: tags,
  address: s.optional(s.object({ host: s.string(256), port: s.integer })),
  /** Unix socket for tools on the same kernel (same bootId). */
  socket: s.optional(s.string(256)),
  running: s.array(s.object({ job: name, chunk: name, token: s.string(64), attempt: s.integer, startedAt: s.string(64) }), 1024),
  /** The Blenders it offers (`--blender`): version (absent: could not be asked) and OpenImageDenoise. */
  blenders: s.optional(s.array(s.object({ version: s.optional(s.string(64)), oidn: s.optional(s.boolean) }), 16)),
  sys: s.optional(s.object({
    cpus: s.integer,
    cpuPercent: s.number,
    load: s.array(s.number, 3),
    mem: s.object({ total: s.number, used: s.number, available: s.number }),
    swap: s.object({ total: s.number, used: s.number }),
  })),
  updatedAt: s.string(64),
};
export type NodeRecord = ReturnType<ReturnType<typeof s.object<typeof nodeShape>>>;

const controlShape = {
  v: version,
  state: s.literal('running', 'paused', 'draining'),
};
export type NodeControlRecord = ReturnType<ReturnType<typeof s.object<typeof controlShape>>>;

function parser<T>(shape: Record<string, s.Check<unknown>>) {
  const check = s.object(shape);
  return (text: string, file: string): T => {
    const value = parseJson(text, file);
    try {
      return check(value, '') as T;
    } catch (error) {
      if (error instanceof s.SchemaViolation) throw new SpoolFormatError(file, `fails validation (${error.message})`);
      throw error;
    }
  };
}

export const parseJobRecord = parser<JobRecord>(jobShape);
export const parseChunkRecord = parser<ChunkRecord>(chunkShape);
export const parseNodeRecord = parser<NodeRecord>(nodeShape);
export const parseControlRecord = parser<NodeControlRecord>(controlShape);

export function serialize(record: unknown): string {
  return JSON.stringify(record) + '\n';
}
