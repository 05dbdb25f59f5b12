// Submit-to-start latency on an idle farm (one node, local spool): the chunk's command writes
// `date +%s%N`; measured from just before `render exec` is spawned, and from when it returns.
// Goal: median < 50 ms.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  DIST_SRC, QUICK, RENDER_BIN, epochMs, list, load1, makeTempDir, median, namesIn, percentile, removeDir, runTimed, sleep, startNode,
  stopNode, waitFor, writeScript, type BenchResult,
} from './support.js';

const RUNS = QUICK ? 5 : 20;
const IDLE_BETWEEN_MS = 300;
/** Polling is the slow fallback (issue 17): with a 10 s poll, only the wake-ups can make the start fast. */
const POLL_MS = 10_000;

/** Epoch ms in a file written by `date +%s%N`, once the line is complete. */
function readStamp(file: string): number | undefined {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.endsWith('\n') ? Number(BigInt(text.trim()) / 1000n) / 1000 : undefined;
  } catch {
    return undefined;
  }
}

export async function benchLatency(): Promise<BenchResult> {
  const dir = await makeTempDir('latency');
  const spool = path.join(dir, 'spool');
  const stamps = path.join(dir, 'stamps');
  fs.mkdirSync(stamps);
  const stamp = await writeScript(path.join(dir, 'stamp.sh'), `date +%s%N > "${stamps}/$RENDER_JOB"`);
  // the spool exists before the node starts, like a farm that has been up for a while
  await runTimed(process.execPath, [RENDER_BIN, '--spool', spool, 'list']);
  const node = startNode(spool, 'lat1', ['--poll', String(POLL_MS)], dir);
  const loadBefore = load1();
  const fromSpawn: number[] = [];
  const fromReturn: number[] = [];
  const execMs: number[] = [];
  try {
    await waitFor('the node to register', () => (namesIn(path.join(spool, 'nodes')).includes('lat1.json') ? true : undefined), 15_000);
    await sleep(1500);
    for (let i = 0; i < RUNS; i++) {
      const before = epochMs();
      const result = await runTimed(process.execPath, [RENDER_BIN, '--spool', spool, 'exec', '--frames', '1', '--json', '--', stamp]);
      const after = epochMs();
      if (result.code !== 0) throw new Error(`render exec exited ${result.code}: ${result.stderr}`);
      const id = (JSON.parse(result.stdout) as { id: string }).id;
      const started = await waitFor(`chunk of job ${id} to start`, () => readStamp(path.join(stamps, id)), 20_000, 2);
      fromSpawn.push(started - before);
      fromReturn.push(started - after);
      execMs.push(result.ms);
      await waitFor(`job ${id} to finish`, () => (namesIn(path.join(spool, 'jobs', id, 'done')).length === 1 ? true : undefined), 20_000);
      await sleep(IDLE_BETWEEN_MS);
    }
  } finally {
    await stopNode(node);
  }
  // a bare `node -e 0`: the part of `render exec` no change to renderd can remove
  const bare: number[] = [];
  for (let i = 0; i < 5; i++) bare.push((await runTimed(process.execPath, ['-e', '0'])).ms);
  // loading the CLI's and the daemon's module graphs, nothing else: what every `render` and `renderd` pays first
  const loadOnly = async (entry: string) => {
    const times: number[] = [];
    const url = pathToFileURL(path.join(DIST_SRC, entry)).href;
    for (let i = 0; i < 5; i++) times.push((await runTimed(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(url)})`])).ms);
    return median(times);
  };
  const cliLoad = await loadOnly('cli/main.js');
  const daemonLoad = await loadOnly('daemon/main.js');
  await removeDir(dir);
  const m1 = median(fromSpawn);
  const m2 = median(fromReturn);
  return {
    rows: [
      { bench: 'latency', metric: `submit→start, from spawning render exec (median of ${RUNS})`, value: `${m1.toFixed(0)} ms`, goal: '< 50 ms', pass: m1 < 50 },
      { bench: 'latency', metric: 'submit→start, from render exec returning', value: `${m2.toFixed(0)} ms`, goal: '< 50 ms', pass: m2 < 50 },
      { bench: 'latency', metric: `submit→start with --poll ${POLL_MS} (issue 17), p90 from the return`, value: `${percentile(fromReturn, 90).toFixed(0)} ms`, goal: '< 100 ms', pass: percentile(fromReturn, 90) < 100 },
      { bench: 'latency', metric: 'render exec itself (spawn to exit)', value: `${median(execMs).toFixed(0)} ms`, note: `bare node -e 0: ${median(bare).toFixed(0)} ms; importing cli/main.js alone: ${cliLoad.toFixed(0)} ms, daemon/main.js: ${daemonLoad.toFixed(0)} ms` },
    ],
    details: [
      `One idle \`renderd --poll ${POLL_MS}\` (woken by inotify on active/ and the peer wake message; the poll is only the fallback), ${RUNS} one-chunk \`render exec\` jobs one after another, ${IDLE_BETWEEN_MS} ms idle between.`,
      `The chunk's command is \`date +%s%N > stamps/$RENDER_JOB\` (run through the hook chain: setpriv, nice, sh guard).`,
      `- from spawn (ms): ${list(fromSpawn)}; p90 ${percentile(fromSpawn, 90).toFixed(0)}`,
      `- from return (ms, negative = the chunk started before the CLI had exited): ${list(fromReturn)}; p90 ${percentile(fromReturn, 90).toFixed(0)}`,
      `- render exec spawn→exit (ms): ${list(execMs)}; bare \`node -e 0\`: ${list(bare)}; 1-min load before: ${loadBefore}`,
    ],
  };
}
