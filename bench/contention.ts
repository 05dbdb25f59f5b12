// Claim contention: 8 nodes race for one job of N one-frame chunks. Claims per second, and proof of no
// double claim from three independent witnesses: an O_APPEND ledger written by the chunks' command,
// every chunk file's attempt/history, and the per-attempt log files.
import fs from 'node:fs';
import path from 'node:path';
import { readCpuProfile, topPerChunk } from './profile-cpu.js';
import {
  QUICK, chunkCounts, load1, makeTempDir, namesIn, onlyJobDir, removeDir, secs, sleep, startNode, stopNode, submitExec,
  type BenchResult, type NodeHandle,
} from './support.js';

const NODES = 8;
const CHUNKS = QUICK ? 1000 : 10_000;
/** Past this the run is cut short and reported as such, to keep `npm run bench` bounded. */
const DEADLINE_MS = QUICK ? 120_000 : 300_000;

interface ChunkFile { attempt?: number; history?: { attempt: number; node: string; outcome: string }[] }

/** `true`, plus one appended line per attempt: chunk, attempt, node (lines under PIPE_BUF are atomic appends). */
function ledgerCommand(ledger: string): string[] {
  return ['/bin/sh', '-c', `echo "$RENDER_CHUNK $RENDER_ATTEMPT $RENDER_NODE" >> ${ledger}`];
}

export async function benchContention(): Promise<BenchResult> {
  const dir = await makeTempDir('contention');
  const spool = path.join(dir, 'spool');
  const ledger = path.join(dir, 'ledger.txt');
  fs.writeFileSync(ledger, '');
  const loadBefore = load1();
  await submitExec(spool, ['--frames', `1-${CHUNKS}`, '--chunk', '1', '--name', 'contention'], ledgerCommand(ledger));
  const jobDir = onlyJobDir(spool);

  const start = performance.now();
  // node c1 runs under --cpu-prof: where a claiming node's main thread spends its time
  const profDir = path.join(dir, 'cpuprof');
  const nodes: NodeHandle[] = Array.from({ length: NODES }, (_, i) =>
    startNode(spool, `c${i + 1}`, ['--exit-when-idle'], dir, i === 0 ? ['--cpu-prof', '--cpu-prof-dir', profDir] : []));
  let cut = false;
  const deadline = sleep(DEADLINE_MS).then(() => 'deadline' as const);
  const finished = Promise.all(nodes.map((n) => n.exited)).then(() => 'done' as const);
  if ((await Promise.race([finished, deadline])) === 'deadline') {
    cut = true;
    await Promise.all(nodes.map((n) => stopNode(n)));
  }
  const elapsedMs = performance.now() - start;
  const counts = chunkCounts(jobDir);

  // witness 1: the ledger — each chunk exactly once, attempt 1
  const lines = fs.readFileSync(ledger, 'utf8').split('\n').filter(Boolean);
  const perChunk = new Map<string, number>();
  const perNode = new Map<string, number>();
  let retried = 0;
  for (const line of lines) {
    const [chunk, attempt, node] = line.split(' ');
    perChunk.set(chunk, (perChunk.get(chunk) ?? 0) + 1);
    perNode.set(node, (perNode.get(node) ?? 0) + 1);
    if (attempt !== '1') retried++;
  }
  const ledgerDoubles = [...perChunk.values()].filter((n) => n > 1).length;

  // witness 2: every chunk file — attempt 1, one history entry, done, by the node the ledger names
  let fileProblems = 0;
  const ledgerNode = new Map(lines.map((l) => { const [c, , n] = l.split(' '); return [c, n] as const; }));
  for (const name of namesIn(path.join(jobDir, 'done'))) {
    if (!name.endsWith('.json')) continue;
    const record = JSON.parse(fs.readFileSync(path.join(jobDir, 'done', name), 'utf8')) as ChunkFile;
    const history = record.history ?? [];
    const chunk = name.slice(0, -5);
    if (record.attempt !== 1 || history.length !== 1 || history[0].outcome !== 'done' || history[0].node !== ledgerNode.get(chunk)) fileProblems++;
  }

  // witness 3: one log file per chunk, all of attempt 1
  const logs = namesIn(path.join(jobDir, 'logs'));
  const laterAttemptLogs = logs.filter((n) => !n.endsWith('.1.log')).length;

  // and what the nodes said: fenced results, broken or compromised locks
  let fenced = 0;
  let brokenLocks = 0;
  for (const node of nodes) {
    const text = fs.readFileSync(node.logFile, 'utf8');
    fenced += (text.match(/result not recorded/g) ?? []).length;
    brokenLocks += (text.match(/broke lock|compromised/g) ?? []).length;
  }

  const claimed = counts.done + counts.failed + counts.running;
  const profile = namesIn(profDir).find((n) => n.endsWith('.cpuprofile'));
  const c1Chunks = perNode.get('c1') ?? 0;
  const cpu = profile && c1Chunks ? readCpuProfile(path.join(profDir, profile)) : undefined;
  const claimsPerSec = (counts.done / elapsedMs) * 1000;
  const doubleClaims = ledgerDoubles + fileProblems + laterAttemptLogs + retried;
  const shares = [...perNode.values()];
  const lost = CHUNKS - claimed - counts.queued;
  // a spool is kept for a look only when something went wrong, not when the deadline cut the run
  const ok = doubleClaims === 0 && lost === 0 && counts.running === 0 && (cut || counts.done === CHUNKS);
  if (ok) await removeDir(dir);
  return {
    rows: [
      { bench: 'contention', metric: `${NODES} nodes, 1 job of ${CHUNKS} chunks: claims/s`, value: `${claimsPerSec.toFixed(0)}/s (${secs(elapsedMs, 1)}${cut ? ', CUT SHORT' : ''})` },
      { bench: 'contention', metric: 'double claims (ledger, chunk files, logs)', value: String(doubleClaims), goal: '0', pass: doubleClaims === 0 },
      { bench: 'contention', metric: 'chunks done / lost', value: `${counts.done} / ${lost}${cut ? ` (cut at ${DEADLINE_MS / 1000} s; ${counts.queued} still queued)` : ''}`, goal: `${CHUNKS} / 0`, pass: counts.done === CHUNKS },
    ],
    details: [
      `${NODES} \`renderd --exit-when-idle\` (1 slot each) started together on a fresh spool; time from spawn to the last exit.`,
      `Command of each chunk: \`sh -c 'echo "$RENDER_CHUNK $RENDER_ATTEMPT $RENDER_NODE" >> ledger'\` (true plus one O_APPEND line).`,
      `- chunk folders at the end: ${JSON.stringify(counts)}; ledger lines ${lines.length}, chunks seen twice ${ledgerDoubles}, lines of attempt > 1: ${retried}`,
      `- chunk files not (attempt 1, one history entry, done, by the ledger's node): ${fileProblems}; log files of attempt > 1: ${laterAttemptLogs}`,
      `- node logs: fenced results ${fenced}, broken/compromised locks ${brokenLocks}; chunks per node min ${Math.min(...shares)} max ${Math.max(...shares)}`,
      ...(cpu ? [`- node c1 (--cpu-prof, ${c1Chunks} chunks) main-thread ms per chunk by renderd file: ${topPerChunk(cpu.byDomain, c1Chunks, 9)}`,
        `  by leaf code: ${topPerChunk(cpu.byLeaf, c1Chunks, 9)}`] : []),
      `- 1-min load average before: ${loadBefore}, after: ${load1()}${ok ? '' : `; spool kept at ${dir}`}`,
    ],
  };
}
