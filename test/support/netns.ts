// A second test host on this machine: a network namespace joined to this one by a veth pair, on a /24 of
// 10.77.0.0/16 (the project's own test-host addresses; nothing is routed anywhere else). Used where a
// daemon refuses loopback peers, as the MooseFS master refuses a chunkserver that reaches it on 127.0.0.1.
import { spawnSync } from 'node:child_process';

/** How many /24s of 10.77.0.0/16 a test may take; a namespace per subnet makes each claim exclusive. */
const SUBNETS = 64;
const COMMAND_TIMEOUT_MS = 15_000;

export interface TestHost {
  /** The namespace's name (`ip netns exec <netns> …` runs a command on the test host). */
  netns: string;
  /** The veth end on this machine's side, and its address. */
  hostInterface: string;
  hostAddress: string;
  /** The test host's address (the veth end inside the namespace). */
  address: string;
  /** The subnet both ends are on, as CIDR. */
  subnet: string;
}

function ip(args: string[]): { ok: boolean; output: string } {
  const done = spawnSync('ip', args, { encoding: 'utf8', timeout: COMMAND_TIMEOUT_MS });
  return { ok: done.status === 0, output: `${done.stderr ?? ''}${done.stdout ?? ''}`.trim() };
}

function mustIp(args: string[]): void {
  const done = ip(args);
  if (!done.ok) throw new Error(`ip ${args.join(' ')}: ${done.output}`);
}

/** The namespaces that exist now. */
export function listNetns(): string[] {
  return ip(['netns', 'list']).output.split('\n').map((line) => line.split(' ')[0]).filter(Boolean);
}

/** Why no namespace can be made here (no CAP_SYS_ADMIN, no iproute2), or null when one can. */
export function netnsUnavailable(): string | null {
  const probe = `renderd-probe-${process.pid}`;
  const added = ip(['netns', 'add', probe]);
  if (!added.ok) return `ip netns add is impossible here: ${added.output || 'ip is not installed (apt-get install iproute2)'}`;
  ip(['netns', 'del', probe]);
  return null;
}

/**
 * Makes a namespace on the first free subnet 10.77.K.0/24 (K < 64): `ip netns add <prefix>-K` fails
 * when another test holds K, so two tests never share addresses (a K whose addresses something else
 * uses is skipped too). This side is .1, the namespace .2. A killed test leaves its namespace; later
 * tests take the next K.
 */
export function claimTestHost(prefix: string): TestHost {
  if (!/^[a-z]{1,10}$/.test(prefix)) throw new TypeError(`claimTestHost: prefix must be 1–10 lowercase letters (interface names are 15 at most), got ${JSON.stringify(prefix)}`);
  const inUse = ip(['-o', '-4', 'addr', 'show']).output;
  for (let k = 0; k < SUBNETS; k++) {
    const netns = `${prefix}-${k}`;
    if (inUse.includes(` 10.77.${k}.`)) continue; // taken by something else on this machine
    const added = ip(['netns', 'add', netns]);
    if (!added.ok && /exist/i.test(added.output)) continue; // another test holds K
    if (!added.ok) throw new Error(`ip netns add ${netns}: ${added.output}`);
    const host: TestHost = {
      netns,
      hostInterface: `${prefix}${k}h`,
      hostAddress: `10.77.${k}.1`,
      address: `10.77.${k}.2`,
      subnet: `10.77.${k}.0/24`,
    };
    const inner = `${prefix}${k}n`;
    try {
      mustIp(['link', 'add', host.hostInterface, 'type', 'veth', 'peer', 'name', inner]);
      mustIp(['link', 'set', inner, 'netns', netns]);
      mustIp(['addr', 'add', `${host.hostAddress}/24`, 'dev', host.hostInterface]);
      mustIp(['link', 'set', host.hostInterface, 'up']);
      mustIp(['-n', netns, 'addr', 'add', `${host.address}/24`, 'dev', inner]);
      mustIp(['-n', netns, 'link', 'set', inner, 'up']);
      mustIp(['-n', netns, 'link', 'set', 'lo', 'up']);
    } catch (error) {
      removeTestHost(host);
      throw error;
    }
    return host;
  }
  throw new Error(`no free test subnet: namespaces ${prefix}-0…${SUBNETS - 1} all exist (left by killed test runs? ip netns del them)`);
}

/** Deletes the namespace and the veth pair (deleting either end removes both; both are tried). */
export function removeTestHost(host: TestHost): void {
  ip(['link', 'del', host.hostInterface]);
  ip(['netns', 'del', host.netns]);
}

/** Whether the veth end on this side still exists. */
export function interfaceExists(name: string): boolean {
  return ip(['link', 'show', name]).ok;
}
