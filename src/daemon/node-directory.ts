// Which nodes are alive, as this node sees them: the finder asks it for names and traits (the blocklist's
// escape hatch), the reaper for the holders to judge. Queries only: it reads nodes/ and judges by the
// holders' rule, and hands the nodes judged dead to the reaper, which unregisters them.
import type { FarmContext } from '../claim/context.js';
import type { HolderJudge } from '../liveness/judge.js';
import { UNKNOWN_PROCESS } from '../claim/transitions.js';
import { readNodeRecords, readNodeRecordsOf } from '../nodes/registry.js';
import { holdingDir, parseHoldingMark, type HoldingMark } from '../liveness/holding-marks.js';
import { FolderView } from '../spool/folder-view.js';
import { isSafeName } from '../spool/layout.js';
import type { Holder, NodeRecord } from '../spool/records.js';
import { traitsOfRecord, type NodeTraits } from '../jobs/eligibility.js';
import { WatchedHolders } from '../liveness/watchers.js';
import { IdleNodeWatch } from '../liveness/idle-nodes.js';
import { nameClaimsDir } from '../nodes/name-claim.js';
import { NODE_SILENT_MS } from '../liveness/budget.js';
import type { Cadence } from './cadence.js';

/**
 * Every node record is read every nodesRefreshMs, and less often the more nodes there are (cadence.ts):
 * idle nodes are judged, names and traits refreshed. Holders are watched every sweep through their marks.
 */
type RefreshCadence = Pick<Cadence, 'nodesRefreshMs' | 'nodesRefreshPerNodeMs'>;

/** What the cheap looks (stats of nodes/.holding/, nodes/.names/ and watched idle records) found. */
export interface NodeScan {
  now: number;
  /** The holding marks of the holders this node watches (not its own). */
  marks: HoldingMark[];
  /** Every record is read this time (the refresh). */
  refresh: boolean;
  /** A watched instance's mark went away since the last scan (or this is the first). */
  someoneLeft: boolean;
  /** Watched idle nodes whose records stayed still: read and judged this time. */
  quietIdle: string[];
  /** How long the judge must remember an instance not looked at. */
  keepMs: number;
}

/** The records read for a scan, and the verdicts on them. */
export interface NodeView {
  records: Map<string, NodeRecord>;
  /** Nodes judged dead with their records still in nodes/: for the reaper to unregister. */
  dead: NodeRecord[];
  /** Every node read and every watched mark judged alive. */
  allAlive: boolean;
}

export class NodeDirectory {
  private names: string[] = [];
  private traits: NodeTraits[] = [];
  /** Who picks watchers: the names claimed now (nodes/.names/, kept current by a stat) but those judged dead. */
  private live: string[] = [];
  /** Names judged dead here, until a live record under the name is read again (their name claims stay). */
  private readonly gone = new Set<string>();
  /** The nodes not judged dead, by name, as last read. */
  private readonly known = new Map<string, NodeRecord>();
  /** Marked node instances seen at the last scan; undefined before the first. */
  private instances: Set<string> | undefined;
  /** When every record was last read (judging idle nodes too, and refreshing names and traits). */
  private lastRefreshMs = -Infinity;
  /** nodes/.holding/, looked at every sweep. */
  private readonly holding: FolderView;
  /** nodes/.names/, looked at every sweep (a stat; listed when a node registers or leaves). */
  private readonly nameClaims: FolderView;
  /** The few marked nodes whose heartbeats this node reads at each sweep. */
  private readonly watched = new WatchedHolders();
  /** The idle nodes this node watches the same way, by a stat of their records (idle-nodes.ts). */
  private readonly idle: IdleNodeWatch;

  constructor(private readonly ctx: FarmContext, private readonly judge: HolderJudge, private readonly selfInstance: string, private readonly cadence: RefreshCadence) {
    this.holding = new FolderView(holdingDir(ctx.layout));
    this.nameClaims = new FolderView(nameClaimsDir(ctx.layout));
    this.idle = new IdleNodeWatch(ctx.layout.nodes);
  }

  /** The nodes registered and not judged dead at the last reading. */
  nodeNames(): string[] {
    return this.names;
  }

  /** What the live nodes can run (pool, tags, memory), for the blocklist's escape hatch. */
  nodeTraits(): NodeTraits[] {
    return this.traits;
  }

  /**
   * Whether this node is one of `node`'s watchers (reads its heartbeat at every sweep). Chosen among the
   * names claimed now, not those of the last reading of every record: on a farm that grew since, a node
   * knowing 20 of 200 watched a third of the holders (issue 26's busy farm, 8.5 record reads a second).
   */
  watches(node: string): boolean {
    return this.watched.watches(node, this.live);
  }

  /** The stat-level look of every sweep: which marks and quiet idle nodes to read, and whether to read all. */
  scan(now: number): NodeScan {
    // names registered since the last refresh are watched too: a node that dies in its first minute is no exception
    const named = [...new Set([...this.names, ...this.nameClaims.view(now).filter((name) => isSafeName(name) && !name.startsWith('.'))])].sort();
    this.live = named.filter((name) => !this.gone.has(name));
    // only nodes that may hold chunks are watched, each by three: an idle farm costs one stat of nodes/.holding/ per look
    const marks = this.holding.view(now).map(parseHoldingMark)
      .filter((m): m is HoldingMark => !!m && isSafeName(m.node) && m.instance !== this.selfInstance && this.watches(m.node));
    const refreshMs = Math.max(this.cadence.nodesRefreshMs, this.known.size * this.cadence.nodesRefreshPerNodeMs);
    const instances = new Set(marks.map((m) => `${m.node}/${m.instance}`));
    const someoneLeft = !this.instances || [...this.instances].some((i) => !instances.has(i));
    this.instances = instances;
    const marked = new Set(marks.map((m) => m.node));
    const quietIdle = this.idle.quiet(this.live.filter((name) => !marked.has(name) && !this.watched.isSelf(name) && this.watches(name)), now);
    // a node seen only at refreshes is remembered from one to the next, or each look would be a first sighting
    const keepMs = Math.max(3 * NODE_SILENT_MS, 3 * refreshMs);
    return { now, marks, refresh: now - this.lastRefreshMs >= refreshMs, someoneLeft, quietIdle, keepMs };
  }

  /** Reads the records the scan asks for (every one at a refresh) and judges them and the watched marks. */
  async read(scan: NodeScan): Promise<NodeView> {
    const { ctx } = this;
    if (scan.refresh) this.lastRefreshMs = scan.now;
    const records = scan.refresh
      ? await readNodeRecords(ctx.layout, ctx.log)
      : await readNodeRecordsOf(ctx.layout, [...scan.marks.map((m) => m.node), ...scan.quietIdle], ctx.log);
    const dead: NodeRecord[] = [];
    let allAlive = true;
    if (scan.refresh) this.known.clear();
    for (const record of records.values()) {
      if (record.instance === this.selfInstance) this.watched.setSelf(record.name);
      const verdict = record.instance === this.selfInstance ? 'alive' : this.judge.verdict({ ...record, node: record.name }, records, scan.now);
      if (verdict !== 'alive') allAlive = false;
      if (verdict === 'dead') {
        dead.push(record);
        this.known.delete(record.name);
        this.gone.add(record.name);
      } else {
        this.known.set(record.name, record);
        this.gone.delete(record.name);
      }
    }
    this.names = [...this.known.keys()];
    this.traits = this.names.map((name) => traitsOfRecord(this.known.get(name), name));
    // a mark whose instance has no record (gone, or another instance under its name) is judged by the window too
    for (const mark of scan.marks) {
      if (records.get(mark.node)?.instance === mark.instance) continue;
      if (this.judge.verdict(withProcess(markHolder(mark), records), records, scan.now) !== 'alive') allAlive = false;
    }
    return { records, dead, allAlive };
  }
}

/** A marked or claiming instance as a holder known by name only. */
export function markHolder(mark: { node: string; instance: string }): Holder {
  return { ...UNKNOWN_PROCESS, node: mark.node, instance: mark.instance };
}

/** A holder known only by its claim's name gets its process (host, pid) from its node's record, if that is the same instance. */
export function withProcess(holder: Holder, records: ReadonlyMap<string, NodeRecord>): Holder {
  if (holder.bootId !== UNKNOWN_PROCESS.bootId) return holder;
  const record = records.get(holder.node);
  if (!record || record.instance !== holder.instance) return holder;
  return { ...holder, host: record.host, bootId: record.bootId, pidns: record.pidns, pid: record.pid, pidStart: record.pidStart };
}
