// The studio (issue 17): STUDIO_NODES renderd (100 by default, 20 with BENCH_QUICK) on one spool, as a
// farm of that many machines would be. Idle cost of the farm (strace of a few nodes, times N), submit →
// first start, claims/s on 10,000 chunks with the proof of no double claim and no lost chunk, and the time
// for every node to let go of a job that was removed.
import fs from 'node:fs';
import path from 'node:path';
import { SPOOL_FS_CALLS, straceCounts } from './idle.js';
import {
  QUICK, chunkCounts, epochMs, hasCommand, load1, makeTempDir, namesIn, removeDir, render, rssMiB, secs, sleep, startNode, stopNode, submitExec, waitFor,
  type BenchResult, type NodeHandle,
} from './support.js';

const NODES = Number(process.env.STUDIO_NODES ?? (QUICK ? 20 : 100));
const CHUNKS = QUICK ? 1000 : 10_000;
const SAMPLED = 3;
const IDLE_SECONDS = QUICK ? 5 : 10;

const nodeRecords = (spool: string) => namesIn(path.join(spool, 'nodes')).filter((n) => n.endsWith('.json') && !n.startsWith('.'));

/** Spool fs calls per second of a few nodes, counted together. */
async function idleCost(nodes: NodeHandle[], dir: string, label: string): Promise<number> {
  const sample = nodes.slice(0, SAMPLED);
  const counts = await Promise.all(sample.map((n, i) => straceCounts(n.child.pid!, IDLE_SECONDS, path.join(dir, `${label}-${i}.strace`))));
  let calls = 0;
  for (const map of counts) for (const [call, n] of map) if (SPOOL_FS_CALLS.has(call)) calls += n;
  return calls / IDLE_SECONDS / sample.length;
}

export async function benchStudio(): Promise<BenchResult> {
  if (!hasCommand('strace')) throw new Error('strace is not installed');
  const dir = await makeTempDir('studio');
  const spool = path.join(dir, 'spool');
  const loadBefore = load1();
  await render(spool, ['nodes']);
  const nodes: NodeHandle[] = [];
  const details: string[] = [];
  try {
    const t0 = performance.now();
    for (let i = 0; i < NODES; i++) nodes.push(startNode(spool, `s${String(i + 1).padStart(3, '0')}`, [], dir));
    await waitFor(`${NODES} nodes to register`, () => (nodeRecords(spool).length >= NODES ? true : undefined), 600_000, 500);
    const upMs = performance.now() - t0;
    await sleep(8000); // past every node's start-up sweep
    const rss = nodes.slice(0, SAMPLED).map((n) => rssMiB(n.child.pid!) ?? 0);
    const idlePerNode = await idleCost(nodes, dir, 'idle');

    // submit → first start (any node), from spawning `render exec` and from its return
    const stamp = path.join(dir, 'stamp');
    const before = epochMs();
    const submitted = await submitExec(spool, ['--frames', '1', '--name', 'first'], ['/bin/sh', '-c', `date +%s%N > ${stamp}.tmp && mv ${stamp}.tmp ${stamp}`]);
    const startedAt = await waitFor('the first chunk to start', () => {
      try { return Number(BigInt(fs.readFileSync(stamp, 'utf8').trim()) / 1000n) / 1000; } catch { return undefined; }
    }, 60_000, 5);
    const fromSpawnMs = startedAt - before;
    const fromReturnMs = fromSpawnMs - submitted.ms;

    // claims/s on CHUNKS chunks: O_APPEND ledger lines at each attempt's start and end are the witness
    const ledger = path.join(dir, 'ledger.txt');
    fs.writeFileSync(ledger, '');
    const line = (mark: string) => `echo "$RENDER_CHUNK $RENDER_ATTEMPT $RENDER_NODE ${mark} $(date +%s%N)" >> ${ledger}`;
    const big = await submitExec(spool, ['--frames', `1-${CHUNKS}`, '--chunk', '1', '--name', 'claims'], ['/bin/sh', '-c', `${line('s')}; ${line('e')}`]);
    const jobDir = path.join(spool, 'jobs', big.id);
    const c0 = performance.now();
    await waitFor(`${CHUNKS} chunks done`, () => (chunkCounts(jobDir).done >= CHUNKS ? true : undefined), QUICK ? 300_000 : 900_000, 500).catch(() => undefined);
    const claimMs = performance.now() - c0;
    await sleep(2000);
    const counts = chunkCounts(jobDir);
    const runs = attemptsIn(fs.readFileSync(ledger, 'utf8'));
    const cut = [...runs.values()].flat().filter((r) => r.endNs === undefined).length;
    const cutEnds = endCutAttempts(runs, jobDir);
    const doubles = overlapsIn(runs);
    const reruns = [...runs.values()].filter((list) => list.length > 1).length;
    // a chunk moving between folders while they are listed can be counted twice: exact only once the job ended
    const finished = counts.done + counts.failed === CHUNKS;
    const lost = Math.max(0, CHUNKS - counts.done - counts.failed - counts.queued - counts.running);
    const busyNodes = new Set([...runs.values()].flat().map((r) => r.node)).size;

    // removal: a job with a long chunk on as many nodes as will take one, removed; until no node record lists it
    const wide = await submitExec(spool, ['--frames', `1-${NODES}`, '--chunk', '1', '--name', 'removed'], ['sleep', '120']);
    const wideDir = path.join(spool, 'jobs', wide.id);
    await waitFor('the long chunks to start', () => (chunkCounts(wideDir).running >= NODES * 0.9 ? true : undefined), 300_000, 500).catch(() => undefined);
    const runningBefore = chunkCounts(wideDir).running;
    const r0 = performance.now();
    await render(spool, ['remove', wide.id]);
    const listed = () => nodeRecords(spool).filter((name) => {
      try { return (JSON.parse(fs.readFileSync(path.join(spool, 'nodes', name), 'utf8')) as { running: { job: string }[] }).running.some((r) => r.job === wide.id); } catch { return false; }
    }).length;
    await waitFor('every node to let the job go', () => (listed() === 0 ? true : undefined), 120_000, 20).catch(() => undefined);
    const removeMs = performance.now() - r0;
    const stillListing = listed();

    const rows = [
      { bench: 'studio', metric: `${NODES} nodes idle, empty spool: spool fs calls/s per node (farm: × ${NODES})`, value: `${idlePerNode.toFixed(1)} (${(idlePerNode * NODES).toFixed(0)} for the farm)`, goal: '≤ 5 per node', pass: idlePerNode <= 5 },
      { bench: 'studio', metric: `${NODES} nodes: submit → first start`, value: `${fromSpawnMs.toFixed(0)} ms from spawning render exec, ${fromReturnMs.toFixed(0)} ms from its return`, goal: '< 100 ms (from the return)', pass: fromReturnMs < 100 },
      { bench: 'studio', metric: `${NODES} nodes, ${CHUNKS} chunks: claims/s`, value: `${((counts.done / claimMs) * 1000).toFixed(0)}/s (${secs(claimMs, 1)}, ${busyNodes} nodes took chunks)` },
      { bench: 'studio', metric: `${NODES} nodes: double claims (two attempts of a chunk at once) / lost`, value: `${doubles} / ${lost}${finished ? '' : ' (the job was still running at the time cap: counted live)'}${reruns ? ` (${reruns} chunks ran again after their node was judged gone; ${cut} attempts cut between their two lines, ${cutEnds} of them ended by their chunk log)` : ''}`, goal: '0 / 0', pass: doubles === 0 && lost === 0 && counts.done === CHUNKS },
      { bench: 'studio', metric: `${NODES} nodes: a removed job let go by every node`, value: `${removeMs.toFixed(0)} ms (${runningBefore} chunks were running${stillListing ? `; ${stillListing} nodes still list it` : ''})` },
    ];
    details.push(
      `${NODES} \`renderd\` (1 slot, --poll 1000) on one spool, on this one machine; all registered in ${secs(upMs, 1)}. RSS of ${SAMPLED} of them: ${rss.map((r) => r.toFixed(0)).join(', ')} MiB.`,
      `- idle: \`strace -c -f\` of ${SAMPLED} nodes for ${IDLE_SECONDS} s, 8 s after the last registered; calls naming a path, getdents64 and fsync, per node.`,
      `- submit → start: \`render exec --frames 1\` whose command stamps the time; ${fromSpawnMs.toFixed(0)} ms from spawning the CLI (which took ${submitted.ms.toFixed(0)} ms).`,
      `- claims: one job of ${CHUNKS} one-frame chunks (\`echo … >> ledger\`); chunk folders at the end ${JSON.stringify(counts)}; attempts in the ledger ${[...runs.values()].flat().length}; a double claim is two attempts of one chunk whose start–end spans overlap.`,
      `- removal: one job of ${NODES} chunks of \`sleep 120\`, ${runningBefore} running; \`render remove\`, then until no node record lists the job.`,
      `- 1-min load average before: ${loadBefore}, after: ${load1()}`,
    );
    return { rows, details };
  } finally {
    await Promise.all(nodes.map((n) => stopNode(n, 15_000)));
    await removeDir(dir);
  }
}

interface Run {
  attempt: string;
  node: string;
  startNs: bigint;
  /** Undefined: the attempt was cut between its two lines (killed by its lease or a stop): its end is unknown. */
  endNs?: bigint;
}

/** Ledger lines `chunk attempt node s|e ns` → each chunk's attempts with their spans. */
function attemptsIn(text: string): Map<string, Run[]> {
  const runs = new Map<string, Run[]>();
  const open = new Map<string, Run>();
  for (const line of text.split('\n')) {
    const [chunk, attempt, node, mark, ns] = line.split(' ');
    if (!chunk || !ns) continue;
    const key = `${chunk} ${attempt} ${node}`;
    if (mark === 's') {
      const run: Run = { attempt, node, startNs: BigInt(ns) };
      open.set(key, run);
      runs.set(chunk, [...(runs.get(chunk) ?? []), run]);
    } else if (open.has(key)) open.get(key)!.endNs = BigInt(ns);
  }
  return runs;
}

/**
 * An attempt cut between its two ledger lines (killed by its lease, or a stop) ends, at the latest, when its
 * node's renderd wrote in the attempt's chunk log that its command ended (renderd writes that once the
 * launcher reported the group dead): that time, where the log has it. Returns how many were found.
 */
function endCutAttempts(runs: Map<string, Run[]>, jobDir: string): number {
  let found = 0;
  for (const [chunk, list] of runs) {
    for (const run of list.filter((r) => r.endNs === undefined)) {
      let log = '';
      try { log = fs.readFileSync(path.join(jobDir, 'logs', `${chunk}.${run.attempt}.log`), 'utf8'); } catch { continue; }
      const ended = /^\[renderd\] (\S+) render-command: (?!start$)/m.exec(log);
      if (!ended) continue;
      run.endNs = BigInt(Date.parse(ended[1]!)) * 1_000_000n;
      found++;
    }
  }
  return found;
}

/**
 * Chunks with two attempts whose spans overlap; a cut attempt counts as lasting until the next attempt's
 * end (its own is unknown: a cut that came late shows as a double claim, never the other way).
 */
function overlapsIn(runs: Map<string, Run[]>): number {
  let chunks = 0;
  for (const list of runs.values()) {
    const latest = list.reduce((max, r) => (r.endNs !== undefined && r.endNs > max ? r.endNs : max), 0n);
    const end = (r: Run) => r.endNs ?? latest;
    if (list.some((a, i) => list.some((b, j) => j > i && a.startNs < end(b) && b.startNs < end(a)))) chunks++;
  }
  return chunks;
}
