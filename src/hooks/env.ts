// The environment of a hook (contract §4), built from the job and chunk alone: a pure function.
import { describeFrames, formatFrameSpec } from '../frames/index.js';
import { SpoolLayout } from '../spool/layout.js';
import type { ChunkRecord, JobRecord } from '../spool/records.js';
import { tileEnvironment } from '../tiles/plan.js';

export interface HookContext {
  spool: string;
  job: JobRecord;
  chunk: ChunkRecord;
  node: string;
  attempt: number;
  logFile: string;
  /** For error-* and end-* hooks. */
  status?: 'ok' | 'failed';
  /** The node's own variables for this chunk: device (RENDER_DEVICE, CUDA_VISIBLE_DEVICES…), mapped paths. */
  nodeEnv?: Record<string, string>;
}

/** Past this many frames RENDER_FRAME_LIST is left out: one variable may not exceed 128 KiB on Linux. */
const MAX_FRAME_LIST_CHARS = 64 * 1024;

export function hookEnvironment(context: HookContext): Record<string, string> {
  const { job, chunk } = context;
  const run = describeFrames(chunk.frames);
  const frameList = chunk.frames.join(' ');
  const env: Record<string, string> = {
    RENDER_SPOOL: context.spool,
    RENDER_JOB: job.id,
    // hooks run in the submission folder: this is where the job's own files are
    RENDER_JOB_DIR: new SpoolLayout(context.spool).jobDir(job.id),
    RENDER_JOB_NAME: job.name,
    RENDER_CHUNK: chunk.id,
    RENDER_FRAMES: formatFrameSpec(chunk.frames),
    RENDER_START: String(run.start),
    RENDER_END: String(run.end),
    RENDER_STEP: String(run.step),
    RENDER_FILE: job.file ?? '',
    RENDER_SCENE: job.scene ?? '',
    RENDER_OUTPUT: job.output ?? '',
    RENDER_FORMAT: job.format ?? '',
    RENDER_CAMERA: job.camera ?? '',
    RENDER_VIEW_LAYER: job.viewLayer ?? '',
    RENDER_AUTOEXEC: job.autoexec ? '1' : '',
    RENDER_NODE: context.node,
    RENDER_ATTEMPT: String(context.attempt),
    RENDER_OWNER: job.owner,
    RENDER_LOG: context.logFile,
    RENDER_NO_OVERWRITE: job.noOverwrite ? '1' : '',
  };
  if (frameList.length <= MAX_FRAME_LIST_CHARS) env.RENDER_FRAME_LIST = frameList;
  if (context.status) env.RENDER_STATUS = context.status;
  if (context.nodeEnv) Object.assign(env, context.nodeEnv);
  // a tile's output and border follow from the job's output as this node sees it
  if (job.tiles) Object.assign(env, tileEnvironment(job, chunk, env.RENDER_OUTPUT, env.RENDER_FILE));
  return env;
}
