// One fault cell's farm: nodes a and b (and an idle c where the fault needs one), each in a pid namespace
// of its own so only heartbeats can judge them, running one job of short chunks that write a ledger on
// the local disk (its line order is the truth, whatever the filer does).
import { Fleet, Ledger, submitExec, waitUntil, processesOfNode, type NodeProcess } from '../support/index.js';
import type { FaultSpool } from './filesystems.js';
import type { Frozen } from './cell.js';

export const CHUNKS = 8;
/** Each chunk: 12 ticks of 0.25 s. */
export const TICKS = 12;
export const TICK_S = 0.25;

export interface Scenario {
  spool: FaultSpool;
  ledger: Ledger;
  fleets: Fleet[];
  nodes: Map<string, NodeProcess>;
  /** Nodes the fault killed on purpose: their end is not a death. */
  killed: Set<string>;
  /** Whole machines the fault froze, and when (their renders ran nothing then). */
  frozen: Frozen[];
  job: string;
}

export interface ScenarioOptions {
  /** The chunks print without pause (a render printing a line per sample, fast). */
  chatty?: boolean;
  /** The command fails on every node (the job ends failed once its retries are spent). */
  failing?: boolean;
  /** Before the job: an idle node c registers and is SIGKILLed (a machine that died idle). */
  deadIdleNode?: boolean;
}

function commandOf(ledger: Ledger, options: ScenarioOptions): string[] {
  const work = ledger.command(TICKS, TICK_S);
  // 2 s a failure: both live nodes are blocklisted while the dead one still counts, until it is judged gone
  if (options.failing) return ['sh', '-c', '"$@"; exit 1', 'sh', ...ledger.command(8, TICK_S)];
  if (!options.chatty) return work;
  return ['sh', '-c', 'yes "Fra:1 Mem:12.00M (Peak 12.00M) | Time:00:00.10 | Sample 1/4096" & y=$!; "$@"; s=$?; kill $y; exit $s', 'sh', ...work];
}

export async function startScenario(spool: FaultSpool, ledger: Ledger, options: ScenarioOptions = {}): Promise<Scenario> {
  const fleets: Fleet[] = [];
  const nodes = new Map<string, NodeProcess>();
  const start = (name: string, index: number, extraArgs: string[] = []) => {
    const fleet = new Fleet(spool.spools[index % spool.spools.length]);
    fleets.push(fleet);
    nodes.set(name, fleet.start(name, { slots: 2, pollMs: 500, ownPidNamespace: true, extraArgs }));
  };
  const killed = new Set<string>();
  if (options.deadIdleNode) {
    start('c', 2);
    await nodes.get('c')!.waitForLine(/node c up/, 20_000);
    await nodes.get('c')!.kill('SIGKILL');
    killed.add('c');
  }
  const flags = ['--frames', `1-${options.failing ? 2 : CHUNKS}`, '--chunk', '1', '--retries', options.failing ? '3' : '2'];
  const job = await submitExec(spool.spools[0], flags, commandOf(ledger, options));
  start('a', 0);
  start('b', 1);
  const scenario = { spool, ledger, fleets, nodes, killed, frozen: [], job };
  if (options.failing) return scenario;
  await waitUntil('a and b to be mid-chunk', async () =>
    (await processesOfNode(ledger.marker, 'a')).length > 0 && (await processesOfNode(ledger.marker, 'b')).length > 0, 60_000, 50);
  return scenario;
}

export async function stopScenario(scenario: Scenario): Promise<void> {
  await Promise.all(scenario.fleets.map((f) => f.stopAll()));
}

export function logsOf(scenario: Scenario): string {
  return scenario.fleets.map((f) => f.logs()).join('\n');
}
