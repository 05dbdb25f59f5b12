// One cell of the fault matrix: a filesystem × a fault. The farm runs its job, the fault strikes while
// both nodes render, and the cell reports what the farm promises about: seconds two attempts of a chunk
// ran at once, chunks lost, whether the job ended, nodes that died of it — and renders the fault cost.
import { attemptsOf, killMatching, Ledger, showJob, waitUntil, withTempSpool, type Attempt, type ShowJson } from '../support/index.js';
import type { Fault } from './faults.js';
import type { FilesystemKind } from './filesystems.js';
import { CHUNKS, logsOf, startScenario, stopScenario } from './scenario.js';

/** From the fault's end, how long the job may take to end before it counts as not ended. */
const END_WITHIN_MS = 120_000;

export interface CellResult {
  fs: string;
  fault: string;
  overlapS: number;
  lost: number;
  unended: number;
  died: string[];
  /** Attempts beyond one per chunk: renders the fault cost. */
  rerun: number;
  seconds: number;
  /** The nodes' logs, when the cell fell short. */
  logs?: string;
}

/** A node's processes stopped from `fromUs` to `toUs` (wall µs, the ledger's clock): they ran nothing then. */
export interface Frozen { node: string; fromUs: number; toUs: number }

/**
 * Seconds during which two attempts of one chunk both ran (by the ledger's own times; one clock here). An
 * attempt's span leaves out the time its whole machine was frozen: a paused render does no work, and what
 * it does once resumed, before its launcher kills it, is counted.
 */
export function overlapSeconds(attempts: Attempt[], frozen: Frozen[] = []): number {
  let totalUs = 0;
  const byChunk = new Map<string, Attempt[]>();
  for (const a of attempts) byChunk.set(`${a.job}/${a.chunk}`, [...(byChunk.get(`${a.job}/${a.chunk}`) ?? []), a]);
  for (const list of byChunk.values()) {
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        for (const [a, b] of pieces(list[i]!, frozen).flatMap((x) => pieces(list[j]!, frozen).map((y) => [x, y] as const))) {
          const start = Math.max(a[0], b[0]);
          const end = Math.min(a[1], b[1]);
          if (end > start) totalUs += end - start;
        }
      }
    }
  }
  return totalUs / 1e6;
}

/** The attempt's span as [from, to] pieces, less its node's frozen spells. */
function pieces(attempt: Attempt, frozen: Frozen[]): [number, number][] {
  let spans: [number, number][] = [[attempt.firstUs, attempt.lastUs]];
  for (const f of frozen.filter((x) => x.node === attempt.node)) {
    spans = spans.flatMap(([from, to]): [number, number][] => (f.toUs <= from || f.fromUs >= to ? [[from, to]] : [[from, f.fromUs], [f.toUs, to]].filter(([a, b]) => b > a) as [number, number][]));
  }
  return spans;
}

export function cellFellShort(result: CellResult): boolean {
  return result.overlapS > 0 || result.lost > 0 || result.unended > 0 || result.died.length > 0;
}

export async function runCell(kind: FilesystemKind, fault: Fault): Promise<CellResult> {
  const began = performance.now();
  return withTempSpool(async (tmp) => {
    const ledger = await Ledger.create(tmp.dir);
    const spool = await kind.make(tmp.path('fs'), 3);
    let scenario;
    try {
      scenario = await startScenario(spool, ledger, fault.options);
      await fault.inject(scenario);
      const job = scenario.job;
      const shown = await waitUntil('the job to end', async () => {
        const s = await showJob(spool.spools[1]!, job).catch(() => undefined);
        return s && (s.state === 'done' || s.state === 'failed') ? s : undefined;
      }, END_WITHIN_MS, 500).catch(() => undefined as ShowJson | undefined);
      const attempts = attemptsOf(await ledger.events()).filter((a) => a.job === job);
      const chunks = fault.options?.failing ? 2 : CHUNKS;
      const completed = new Set(attempts.filter((a) => a.completed).map((a) => a.chunk));
      const lost = fault.endsFailed ? 0 : chunks - completed.size + (shown && shown.state !== 'done' ? 1 : 0);
      const died = [...scenario.nodes].filter(([name, node]) => !node.running && !scenario!.killed.has(name)).map(([name]) => name);
      const result: CellResult = {
        fs: kind.name, fault: fault.name, overlapS: overlapSeconds(attempts, scenario.frozen), lost: Math.max(0, lost), unended: shown ? 0 : 1, died,
        rerun: Math.max(0, attempts.length - chunks), seconds: Math.round((performance.now() - began) / 1000),
      };
      if (cellFellShort(result)) result.logs = logsOf(scenario).slice(-8000);
      return result;
    } finally {
      if (scenario) await stopScenario(scenario);
      await killMatching(ledger.marker);
      await spool.tearDown();
    }
  });
}
