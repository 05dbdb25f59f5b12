// `render doctor`: gathers what each check needs (the I/O) and hands it to the verdicts (pure).
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SpoolLayout } from '../spool/layout.js';
import { readFarmKey, farmKeyPath } from '../peers/index.js';
import { readNodeRecords } from '../nodes/registry.js';
import { currentIdentity } from '../nodes/host.js';
import { localSocketPath } from '../nodes/address.js';
import { HEARTBEAT_MS } from '../liveness/judge.js';
import { sleep } from '../liveness/clock.js';
import { blenderCommand, blenderVersion } from '../blender/version.js';
import type { NodeRecord } from '../spool/records.js';
import { bytesText, fail, type Check } from './check.js';
import { filesystemVerdict, mountOf, parseMountInfo } from './mountinfo.js';
import { farmKeyVerdict, socketDirVerdict, spoolPermissionsVerdict, unitUser, type Owned, type Who } from './permissions.js';
import { unitPath } from '../service/system.js';
import { execFile } from 'node:child_process';
import { measureSemantics, measureSpace, semanticsVerdicts, spaceVerdict } from './semantics.js';
import { blenderVerdict, perlVerdict, perlVersion } from './machine.js';
import { examineNode, type Asker } from './nodes.js';
import { blenderSpreadVerdict, nodeVerdicts, type NodeFindings } from './node-verdicts.js';
import { measureListingDelay, stalenessVerdict } from './staleness.js';
import { readFarmState } from './farm-state.js';
import { farmVerdicts } from './farm-verdicts.js';

const TOP_DIRS = ['active', 'jobs', 'nodes', 'control', 'quarantine', 'tmp', 'trash'];
/** Long enough to see a live node's heartbeat change at least once. */
const WATCH_BEATS_MS = 2.5 * HEARTBEAT_MS;

async function owned(file: string): Promise<Owned | undefined> {
  const s = await fs.lstat(file).catch(() => undefined);
  return s && { path: file, uid: s.uid, gid: s.gid, mode: s.mode };
}

function whoAmI(): Who {
  return { uid: process.getuid?.() ?? -1, gids: process.getgroups?.() ?? [], name: os.userInfo().username };
}

/** The user an installed `render service` unit runs the node as, judged like the current user. */
async function serviceUserChecks(root: Owned, folders: Owned[], key: Owned | undefined, keyError: string | undefined): Promise<Check[]> {
  const unit = await fs.readFile(unitPath('/'), 'utf8').catch(() => undefined);
  const name = unit && unitUser(unit);
  if (!name) return [];
  const ids = (args: string[]) => new Promise<number[] | undefined>((resolve) => {
    execFile('id', [...args, name], { encoding: 'utf8', timeout: 10_000 }, (error, stdout) => resolve(error ? undefined : stdout.trim().split(/\s+/).map(Number)));
  });
  const [uid, gids] = await Promise.all([ids(['-u']), ids(['-G'])]);
  if (!uid || !gids) return [fail('service.user', `${unitPath('/')} runs renderd as '${name}', who does not exist here`, `create the user (useradd --system ${name}) or run render service install again`)];
  const service: Who = { uid: uid[0], gids, name };
  return [
    { ...spoolPermissionsVerdict(root, folders, service), id: 'service.spool-permissions' },
    { ...farmKeyVerdict(key, root, service, keyError), id: 'service.farm-key' },
  ];
}

async function machineChecks(spool: string, who: Who, env: NodeJS.ProcessEnv): Promise<Check[]> {
  const socketDir = path.dirname(localSocketPath(spool, 'doctor', env));
  const [blender, perl, dir] = await Promise.all([blenderVersion(blenderCommand(env)), perlVersion(), owned(socketDir)]);
  return [blenderVerdict(blenderCommand(env), blender), perlVerdict(perl), socketDirVerdict(dir, socketDir, who)];
}

export async function runDoctor(spoolDir: string, env: NodeJS.ProcessEnv): Promise<Check[]> {
  const who = whoAmI();
  const root = await owned(spoolDir);
  if (!root?.mode || !(root.mode & 0o040000)) {
    return [fail('spool.exists', `no spool at ${spoolDir}`, 'pass --spool DIR or set RENDER_SPOOL to the farm\'s spool (renderd and render add create a new one)'),
      ...await machineChecks(spoolDir, who, env)];
  }
  const layout = new SpoolLayout(spoolDir);
  const checks: Check[] = [];
  // asking Blender and the nodes both take seconds: at the same time
  const machine = machineChecks(spoolDir, who, env);
  const nodes = nodesChecks(layout);
  const real = await fs.realpath(spoolDir);
  const mounts = parseMountInfo(await fs.readFile('/proc/self/mountinfo', 'utf8').catch(() => ''));
  checks.push(filesystemVerdict(real, mountOf(mounts, real)));
  const folders = (await Promise.all(TOP_DIRS.map((d) => owned(path.join(spoolDir, d))))).filter((o): o is Owned => Boolean(o));
  checks.push(spoolPermissionsVerdict(root, folders, who));
  const keyError = await readFarmKey(spoolDir).then(() => undefined, (error: Error) => error.message);
  const keyFile = await owned(farmKeyPath(spoolDir));
  checks.push(farmKeyVerdict(keyFile, root, who, keyError));
  checks.push(...await serviceUserChecks(root, folders, keyFile, keyError));
  checks.push(...semanticsVerdicts(await measureSemantics(layout.tmp)));
  checks.push(spaceVerdict(await measureSpace(spoolDir), bytesText));
  checks.push(...await machine);

  const { nodeChecks, alive } = await nodes;
  checks.push(...nodeChecks);
  const liveRecords = [...alive.values()];
  checks.push(...farmVerdicts(await readFarmState(layout, new Map(liveRecords.map((r) => [r.name, r.instance]))), liveRecords));
  return checks;
}

async function nodesChecks(layout: SpoolLayout): Promise<{ nodeChecks: Check[]; alive: Map<string, NodeRecord> }> {
  const key = await readFarmKey(layout.root).catch(() => undefined);
  const ignore = () => {};
  const watchStart = Date.now();
  const first = await readNodeRecords(layout, ignore);
  const alive = new Map<string, NodeRecord>();
  if (first.size === 0) {
    return { nodeChecks: [fail('nodes', `no node is registered in ${layout.nodes}`, 'start renderd on the render machines (render service install), with this spool')], alive };
  }
  const asker: Asker | undefined = key && { key, from: `doctor@${os.hostname()}`, self: currentIdentity() };
  const examined = await Promise.all([...first.values()].map((record) => (asker ? examineNode(asker, record) : Promise.resolve({ name: record.name, answered: false, failure: 'no usable farm.key' } as Awaited<ReturnType<typeof examineNode>>))));
  const peers = examined.filter((e) => e.working).map((e) => ({ name: e.name, instance: first.get(e.name)!.instance, address: e.working! }));
  const delays = asker && peers.length ? await measureListingDelay(asker, layout.tmp, peers) : new Map<string, number | undefined>();
  await sleep(Math.max(0, WATCH_BEATS_MS - (Date.now() - watchStart)));
  const second = await readNodeRecords(layout, ignore);
  const findings: NodeFindings[] = examined.map((e) => {
    const before = first.get(e.name)!;
    const after = second.get(e.name);
    const beating = Boolean(after && (after.beat !== before.beat || after.instance !== before.instance));
    if (beating || e.answered) alive.set(e.name, after ?? before);
    return { ...e, beating, quietText: before.updatedAt };
  });
  const nodeChecks = findings.flatMap(nodeVerdicts);
  const spread = blenderSpreadVerdict(findings);
  if (spread) nodeChecks.push(spread);
  if (alive.size === 0) nodeChecks.push(fail('nodes', `none of the ${first.size} registered node(s) is alive`, 'start renderd on the render machines (render service status tells why one stopped)'));
  nodeChecks.push(stalenessVerdict(delays));
  return { nodeChecks, alive };
}
