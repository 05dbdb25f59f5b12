// What the doctor makes of each node: alive, its clock against ours, its advertised address, its Blender.
import { TS_WINDOW_MS } from '../peers/index.js';
import { fail, ok, warn, type Check } from './check.js';

export interface NodeFindings {
  name: string;
  /** Its record's beat changed while the doctor watched. */
  beating: boolean;
  /** Seconds since its record last changed, by the record's own updatedAt (for the message only). */
  quietText: string;
  /** It answered a doctor-request on some address. */
  answered: boolean;
  /** Why no address answered, when none did. */
  failure?: string;
  /** The TCP address it advertises, and whether that answered from here. */
  advertised?: string;
  advertisedAnswers?: boolean;
  advertisedFailure?: string;
  /** Its wall clock minus ours (reply ts against the round trip's midpoint), and the round trip. */
  skewMs?: number;
  rttMs?: number;
  /** '' when it has none; undefined when it never said. */
  blender?: string;
}

/** Clocks within this are as good as NTP keeps them. */
export const CLOCK_OK_MS = 2000;
/** Past this the ±15 min replay window soon refuses the node's messages. */
export const CLOCK_FAIL_MS = 0.8 * TS_WINDOW_MS;

function seconds(ms: number): string {
  const tenths = Math.round(ms / 100);
  return `${tenths >= 0 ? '+' : '-'}${(Math.abs(tenths) / 10).toFixed(1)} s`;
}

export function nodeVerdicts(n: NodeFindings): Check[] {
  const checks: Check[] = [];
  const id = (what: string) => `node.${n.name}.${what}`;
  if (!n.answered && !n.beating) {
    checks.push(warn(id('heartbeat'), `no heartbeat while watched (record last written ${n.quietText}) and no answer (${n.failure ?? 'no address'})`,
      `if the node is retired, remove its record (nodes/${n.name}.json); else start renderd there (render service status): live nodes give its chunks back meanwhile`));
    return checks;
  }
  if (n.failure?.startsWith('bad-reply')) {
    checks.push(fail(id('heartbeat'), `alive but refuses our messages: ${n.failure}`, 'its farm.key differs from this spool\'s, or its clock is over 15 min off: restart it on this spool'));
  } else {
    checks.push(ok(id('heartbeat'), `alive (${n.beating ? 'heartbeat beating' : 'heartbeat not seen changing'}${n.answered ? `, answered in ${Math.round(n.rttMs ?? 0)} ms` : ''})`));
  }
  if (n.skewMs !== undefined) {
    const found = `wall clock ${seconds(n.skewMs)} from ours (measured over a ${Math.round(n.rttMs ?? 0)} ms round trip)`;
    const advice = 'keep every node on NTP (apt-get install chrony, or systemd-timesyncd): claims never compare clocks, but --schedule, --start-at, retry delays and stats use each node\'s own';
    if (Math.abs(n.skewMs) > CLOCK_FAIL_MS) checks.push(fail(id('clock'), found, `past ±15 min its messages are refused as replays: ${advice}`));
    else if (Math.abs(n.skewMs) > CLOCK_OK_MS + (n.rttMs ?? 0) / 2) checks.push(warn(id('clock'), found, advice));
    else checks.push(ok(id('clock'), found));
  }
  if (!n.advertised) {
    checks.push(warn(id('address'), 'advertises no TCP address', 'other hosts cannot wake or stop it at once: start renderd with --listen 0.0.0.0:PORT'));
  } else if (n.advertisedAnswers) {
    checks.push(ok(id('address'), `${n.advertised} answers from here`));
  } else {
    checks.push(warn(id('address'), `${n.advertised} does not answer from here (${n.advertisedFailure ?? 'no answer'})`,
      `a firewall between the hosts or a wrong --advertise: open that TCP port to the farm's hosts, or start renderd with --advertise ADDRESS and a fixed --listen 0.0.0.0:PORT; until then new work and stops reach it only at its next poll`));
  }
  if (n.answered && n.blender === undefined) {
    checks.push(warn(id('blender'), 'its Blender did not tell its version in time', 'run blender -b --factory-startup --version on that node: a Blender that hangs there fails every Blender job'));
  } else if (n.answered) {
    checks.push(n.blender
      ? ok(id('blender'), n.blender)
      : warn(id('blender'), 'no Blender runs there', 'Blender jobs fail on that node: install Blender there or set BLENDER in its environment'));
  }
  return checks;
}

/** One Blender across the farm, or a warning naming who runs what. */
export function blenderSpreadVerdict(nodes: readonly NodeFindings[]): Check | undefined {
  const byVersion = new Map<string, string[]>();
  for (const n of nodes) if (n.blender) byVersion.set(n.blender, [...(byVersion.get(n.blender) ?? []), n.name]);
  if (byVersion.size <= 1) return undefined;
  const found = [...byVersion].map(([version, names]) => `${version} on ${names.join(', ')}`).join('; ');
  return warn('nodes.blender', found, 'frames of one job may differ between nodes: install the same Blender everywhere, or pin jobs with render add --blender VERSION');
}
