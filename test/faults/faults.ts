// The faults a studio's machines and filer really make, each injected into a running farm (scenario.ts).
// `needs`: what of the filesystem the fault uses (a cell without it does not apply); `hardest`: the
// filesystem where `npm test` runs it (every cell runs under `npm run faults`).
import fs from 'node:fs';
import { sleep, type NodeProcess } from '../support/index.js';
import type { Capability } from './filesystems.js';
import type { Scenario, ScenarioOptions } from './scenario.js';

export interface Fault {
  name: string;
  what: string;
  needs?: Capability;
  hardest: string;
  /** Other filesystems `npm test` runs it on too (each real network filesystem gets a cell there). */
  alsoOn?: string[];
  options?: ScenarioOptions;
  /** The job is meant to end failed (its command fails everywhere): ending at all is the promise. */
  endsFailed?: boolean;
  inject(scenario: Scenario): Promise<void>;
}

const STOP_MS = 25_000;

/** Every process in the pid namespace of `node`'s renderd: the whole machine, as far as the farm goes. */
async function processesOfMachine(node: NodeProcess): Promise<number[]> {
  const pid = await node.nodePid();
  const ns = fs.readlinkSync(`/proc/${pid}/ns/pid`);
  return fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).map(Number).filter((p) => {
    try { return fs.readlinkSync(`/proc/${p}/ns/pid`) === ns; } catch { return false; }
  });
}

function signalAll(pids: number[], signal: NodeJS.Signals): void {
  for (const pid of pids) try { process.kill(pid, signal); } catch { /* gone */ }
}

export const FAULTS: Fault[] = [
  {
    name: 'sigkill', what: 'node a SIGKILLed mid-chunk (renderd, launcher and renders)', hardest: 'gluster-1',
    async inject(s) {
      await s.nodes.get('a')!.kill('SIGKILL');
      s.killed.add('a');
    },
  },
  {
    name: 'stop-renderd', what: `a's renderd SIGSTOPped ${STOP_MS / 1000} s while its renders print without pause`, hardest: 'local',
    options: { chatty: true },
    async inject(s) {
      const a = s.nodes.get('a')!;
      await a.kill('SIGSTOP');
      await sleep(STOP_MS);
      await a.kill('SIGCONT');
    },
  },
  {
    name: 'stop-machine', what: `every process of a SIGSTOPped ${STOP_MS / 1000} s (a paused VM)`, hardest: 'local',
    async inject(s) {
      const pids = await processesOfMachine(s.nodes.get('a')!);
      const fromUs = Date.now() * 1000;
      signalAll(pids, 'SIGSTOP');
      await sleep(STOP_MS);
      signalAll(pids, 'SIGCONT');
      s.frozen.push({ node: 'a', fromUs, toUs: Date.now() * 1000 });
    },
  },
  {
    name: 'filer-blip', what: 'the filer drops out for 3 s (GlusterFS: every call fails, ENOTCONN; MooseFS: every call waits)', needs: 'outage', hardest: 'gluster-1', alsoOn: ['moosefs'],
    inject: (s) => s.spool.outage!(3000),
  },
  {
    name: 'filer-hang-5s', what: 'the filer hangs 5 s (every call waits)', needs: 'hang', hardest: 'gluster-2',
    inject: (s) => s.spool.hang!(5000),
  },
  {
    name: 'filer-hang-30s', what: 'the filer hangs 30 s, past every lease', needs: 'hang', hardest: 'gluster-1',
    inject: (s) => s.spool.hang!(30_000),
  },
  {
    name: 'disk-full', what: 'the spool\'s filesystem full for 5 s (ENOSPC)', needs: 'fill', hardest: 'local',
    async inject(s) {
      const free = await s.spool.fill!();
      await sleep(5000);
      await free();
    },
  },
  {
    name: 'idle-death', what: 'an idle node SIGKILLed before a job that fails everywhere', hardest: 'gluster-1',
    options: { deadIdleNode: true, failing: true }, endsFailed: true,
    async inject() { /* c died before the job was queued */ },
  },
  {
    name: 'same-name', what: 'a second node named a starts on another mount mid-run', hardest: 'gluster-2',
    async inject(s) {
      const fleet = s.fleets[1]!;
      const twin = fleet.start('a', { slots: 2, pollMs: 500, ownPidNamespace: true });
      s.killed.add(`a#${twin.pid}`);
      await sleep(10_000);
    },
  },
];
