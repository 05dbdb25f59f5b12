// The node's record in nodes/: its heartbeat, and what tools read of it (state, slots, the chunks it runs,
// where to reach it). Written one at a time and in order (the beat only goes up); a change is written
// soon but coalesced, so chunks coming and going fast cost one write per heartbeatCoalesceMs (cadence.ts).
import type { FarmContext } from '../claim/context.js';
import type { ClaimKeeper } from '../liveness/keeper.js';
import type { ProcessIdentity } from '../nodes/host.js';
import { writeNodeRecord } from '../nodes/registry.js';
import type { SystemFigures } from '../nodes/sysinfo.js';
import type { ProbedBlender } from '../blender/probe.js';
import { FORMAT_VERSION, type NodeRecord } from '../spool/records.js';
import { advertised } from './blenders.js';
import type { DaemonOptions } from './options.js';
import type { NameHold } from './registration.js';

/** What changes between two records, read at each write. */
export interface NodeNow {
  state: NodeRecord['state'];
  running: NodeRecord['running'];
  address: NodeRecord['address'];
  socket: NodeRecord['socket'];
}

export interface NodeRecordDeps {
  ctx: FarmContext;
  options: Pick<DaemonOptions, 'node' | 'slots' | 'pool' | 'tags' | 'cadence'>;
  identity: ProcessIdentity;
  instance: string;
  blenders: readonly ProbedBlender[] | undefined;
  nameHold: NameHold;
  keeper: ClaimKeeper;
  now(): NodeNow;
  /** Our name is another instance's: called at the write that found it (`holder`: who has it now). */
  onNameLost(holder: string): void;
}

export class NodeRecordWriter {
  private beat = 0;
  private sys: SystemFigures | undefined;
  private written: Promise<void> = Promise.resolve();
  private soon: NodeJS.Timeout | undefined;
  private readonly startedAt: string;

  constructor(private readonly deps: NodeRecordDeps) {
    this.startedAt = deps.ctx.clock.wallIso();
  }

  /** CPU, memory and swap figures for the next record. */
  setFigures(sys: SystemFigures): void {
    this.sys = sys;
  }

  get figures(): SystemFigures | undefined {
    return this.sys;
  }

  /** Writes the record now (after the writes already queued). */
  write(): Promise<void> {
    this.written = this.written.then(() => this.writeRecord()).catch((error) =>
      this.deps.ctx.log(`heartbeat failed: ${(error as Error).message}`));
    return this.written;
  }

  /** The record also tells tools which chunks run here (render pause stops them through it): write it soon. */
  writeSoon(): void {
    this.soon ??= setTimeout(() => {
      this.soon = undefined;
      void this.write();
    }, this.deps.options.cadence.heartbeatCoalesceMs);
  }

  /** No write is pending when this resolves, and none is written soon after (the timer stays cleared). */
  async settle(): Promise<void> {
    clearTimeout(this.soon);
    await this.written;
  }

  private async writeRecord(): Promise<void> {
    const { ctx, options, identity, instance } = this.deps;
    const holder = this.deps.nameHold.check(ctx.clock.monotonicMs());
    if (holder !== true) return this.deps.onNameLost(holder);
    const startedMs = ctx.clock.monotonicMs();
    this.beat++;
    const now = this.deps.now();
    const record: NodeRecord = {
      v: FORMAT_VERSION,
      name: options.node,
      instance,
      host: identity.host,
      bootId: identity.bootId,
      pidns: identity.pidns,
      pid: identity.pid,
      pidStart: identity.pidStart,
      startedAt: this.startedAt,
      beat: this.beat,
      state: now.state,
      slots: options.slots,
      pool: options.pool,
      tags: options.tags,
      blenders: this.deps.blenders && advertised(this.deps.blenders),
      address: now.address,
      socket: now.socket,
      running: now.running,
      sys: this.sys,
      updatedAt: ctx.clock.wallIso(),
    };
    await writeNodeRecord(ctx.layout, record);
    await this.deps.keeper.heartbeatWritten(ctx.layout.nodeFile(options.node), record, startedMs);
  }
}
