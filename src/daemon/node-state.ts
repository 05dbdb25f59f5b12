// The node's state: running, paused or draining as its control file says (render node pause|drain|resume),
// stopping on a signal or when another instance took its name. The control file is the durable truth; a
// node-control message marks it changed at once, else it is re-read every CONTROL_READ period.
import type { FarmContext } from '../claim/context.js';
import { readNodeControl } from '../nodes/registry.js';
import type { NodeRecord } from '../spool/records.js';
import type { DaemonOptions } from './options.js';

type State = NodeRecord['state'];

export class NodeState {
  private current: State = 'running';
  private stop: 'signal' | 'name lost' | undefined;
  private controlReadMs = -Infinity;
  private controlDirty = true;

  constructor(private readonly ctx: FarmContext, private readonly options: Pick<DaemonOptions, 'node' | 'cadence'>) {}

  get state(): State {
    return this.current;
  }

  get stopping(): boolean {
    return this.stop !== undefined;
  }

  get nameLost(): boolean {
    return this.stop === 'name lost';
  }

  /** A node-control message came: the file is read again at the next round. */
  controlChanged(): void {
    this.controlDirty = true;
  }

  /** Stops taking work; false when it already was stopping. */
  stopOnSignal(): boolean {
    if (this.stop) return false;
    this.stop = 'signal';
    this.current = 'stopping';
    return true;
  }

  /** Our name is another instance's now: never obeyed twice; false when already known. */
  loseName(): boolean {
    if (this.stop === 'name lost') return false;
    this.stop = 'name lost';
    this.current = 'stopping';
    return true;
  }

  /** Reads the control file when due; true when the state changed in a way the record must show at once. */
  async applyControl(running: number): Promise<boolean> {
    if (this.stopping) return false;
    const now = this.ctx.clock.monotonicMs();
    if (!this.controlDirty && now - this.controlReadMs < this.options.cadence.controlReadMs && this.current !== 'draining') return false;
    this.controlDirty = false;
    this.controlReadMs = now;
    const control = await readNodeControl(this.ctx.layout, this.options.node, this.ctx.log);
    const wanted: State = control?.state ?? 'running';
    if (wanted === 'draining' && running === 0) {
      if (this.current !== 'paused') this.ctx.log('drained: no chunks running, paused');
      this.current = 'paused';
      return false;
    }
    if (wanted === this.current) return false;
    this.ctx.log(`node state ${this.current} → ${wanted}`);
    this.current = wanted;
    return true;
  }
}
