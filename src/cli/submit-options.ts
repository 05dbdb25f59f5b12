// The scheduling flags `render add` and `render exec` share; what they parse into is jobs/submission's RawScheduling.
import { Command } from 'commander';
import { DEFAULT_CHUNK_SIZE } from '../frames/index.js';
import { DEFAULT_RETRIES } from '../jobs/build.js';
import { collect } from '../jobs/values.js';

export function addSchedulingOptions(command: Command): Command {
  return command
    .option('--frames <spec>', 'frames: 1-100, 1-100x5 (step), 1,5,9-12')
    .option('--chunk <n>', `frames per chunk (default ${DEFAULT_CHUNK_SIZE})`)
    .option('--priority <n>', 'higher runs first (default 0)', '0')
    .option('--name <name>', 'job name')
    .option('--pool <name>', 'run only on nodes of this pool')
    .option('--after <job>', 'start after this job is done; JOB:any, after it ended either way (repeatable)', collect, [])
    .option('--tags <list>', 'run only on nodes that have all these tags (comma-separated)')
    .option('--min-ram <size>', 'run only on nodes with at least this much memory (e.g. 16G)')
    .option('--max-nodes <n>', 'at most this many nodes on the job at once')
    .option('--start-at <time>', 'do not start before: 2026-11-21T19:00, 19:00 or +2h')
    .option('--license <name>', 'each running chunk holds one token of this licence (render license set)')
    .option('--hooks <dir>', 'hook scripts folder (default: ./renderd-hooks if present, else the package\'s)')
    .option('--retries <n>', `attempts after the first that may fail (default ${DEFAULT_RETRIES})`, String(DEFAULT_RETRIES))
    .option('--retry-delay <duration>', 'wait this long before retrying a failed chunk')
    .option('--timeout <duration>', 'fail a hook that runs longer than this (e.g. 30m)')
    .option('--silence-timeout <duration>', 'fail a hook that prints nothing for this long')
    .option('--max-failed <n>', 'fail the job once this many chunks have failed')
    .option('--device <gpu|cpu>', 'gpu: only nodes with a GPU --device take it; cpu: render on the CPU')
    .option('--paused', 'queue the job paused');
}
