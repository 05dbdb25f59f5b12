// The `a` key's submission: exactly `render add FILE` with no options, through add's own submitBlend
// (the scene Blender renders, its frame range, output and format, the default scheduling).
import path from 'node:path';
import { Command } from 'commander';
import type { FarmContext } from '../../claim/context.js';
import { submitBlend, type RawAdd } from '../../cli/commands/add.js';
import { addSchedulingOptions } from '../../cli/submit-options.js';
import { wakeAfterQueueing } from '../../cli/wake.js';

/** The options `render add FILE` has when none is given, read off the same option definitions. */
export function defaultAddOptions(): RawAdd {
  return addSchedulingOptions(new Command().option('--no-overwrite')).opts() as RawAdd;
}

export async function submitBlendFile(ctx: FarmContext, file: string, cwd: string) {
  const submitted = await submitBlend(ctx, path.resolve(cwd, file), defaultAddOptions(), cwd);
  await wakeAfterQueueing(ctx, ctx.log);
  return submitted;
}
