// The test runner's command line: folder or file names to run, `--jobs N` (or RENDER_TEST_JOBS) files at a
// time, `--record` to write each file's time to test/durations.json, the order of the next runs.
export interface RunnerOptions {
  names: string[];
  jobs: number;
  record: boolean;
  fileTimeoutS: number;
}

// two lanes: this project's tests wait on real processes far more than they compute, and CI has 2 cores
const DEFAULT_JOBS = 2;
// longer than the slowest file (the Blender end-to-end runs, ~4 min per Blender) by a wide margin
const DEFAULT_FILE_TIMEOUT_S = 1200;

export function parseRunnerArgs(argv: string[], env: NodeJS.ProcessEnv): RunnerOptions {
  const names: string[] = [];
  let jobs = positive('RENDER_TEST_JOBS', env.RENDER_TEST_JOBS) ?? DEFAULT_JOBS;
  let record = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--jobs') jobs = positive('--jobs', argv[++i]) ?? usage('--jobs needs a whole number of files at a time, e.g. --jobs 2');
    else if (arg === '--record') record = true;
    else if (arg.startsWith('-')) usage(`unknown option ${arg} (known: --jobs N, --record)`);
    else names.push(arg.replace(/\.test(\.[jt]s)?$/, '').replace(/^(dist\/)?test\//, ''));
  }
  const fileTimeoutS = positive('RENDER_TEST_FILE_TIMEOUT_S', env.RENDER_TEST_FILE_TIMEOUT_S) ?? DEFAULT_FILE_TIMEOUT_S;
  return { names, jobs, record, fileTimeoutS };
}

function positive(label: string, raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) usage(`${label} must be a whole number ≥ 1, got '${raw}'`);
  return value;
}

function usage(message: string): never {
  process.stderr.write(`test: ${message}\n`);
  process.exit(2);
}
