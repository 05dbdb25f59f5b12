// A chunk's GPU (--gpus: one slot per GPU): taken when its hooks may start, given back once — when its
// render ends (the next chunk may render on it while this one's post-* hooks run) or when its hooks end.

/** The node's devices (devices/devices.ts nodeDevices): its free GPUs and the variables that pin a hook to one. */
export interface NodeDevices {
  take(): number | undefined;
  give(gpu: number | undefined): void;
  environment(gpu: number | undefined, job: { device?: 'gpu' | 'cpu' }): Record<string, string>;
}

export class GpuTicket {
  private gpu: number | undefined;
  private held = false;

  constructor(private readonly devices: NodeDevices) {}

  /** Takes a GPU (none on a CPU node) and returns the hook variables for it. */
  take(job: { device?: 'gpu' | 'cpu' }): Record<string, string> {
    this.gpu = this.devices.take();
    this.held = true;
    return this.devices.environment(this.gpu, job);
  }

  /** Gives the GPU back; later calls do nothing. */
  give(): void {
    if (this.held) this.devices.give(this.gpu);
    this.held = false;
  }
}
