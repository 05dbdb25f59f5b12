// The `a` key's submission: exactly `render add FILE` with no options, through the one submission
// pipeline (the scene Blender renders, its frame range, output and format, the default scheduling).
import path from 'node:path';
import type { FarmContext } from '../../claim/context.js';
import { blendInput, submitBlend, type SubmittedBlend } from '../../jobs/submission/index.js';
import { wakeAfterQueueing } from '../../notify/index.js';

export async function submitBlendFile(ctx: FarmContext, file: string, cwd: string): Promise<SubmittedBlend> {
  const submitted = await submitBlend(ctx, blendInput(path.resolve(cwd, file)), { cwd, nowMs: Date.now(), env: process.env });
  await wakeAfterQueueing(ctx, ctx.log);
  return submitted;
}
