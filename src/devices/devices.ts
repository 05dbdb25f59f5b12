// Render devices of a node (`renderd --device CUDA --gpus 0,1`): one slot per GPU, and the variables
// that make each slot's hooks see only their GPU — each vendor's runtime reads its own.
import { UsageError } from '../errors.js';

export const DEVICES = ['CPU', 'CUDA', 'OPTIX', 'HIP', 'ONEAPI', 'METAL'] as const;
export type Device = (typeof DEVICES)[number];
export type JobDevice = 'gpu' | 'cpu';

export function parseDevice(raw: string): Device {
  const device = raw.toUpperCase() as Device;
  if (!DEVICES.includes(device)) throw new UsageError(`--device '${raw}' must be one of ${DEVICES.join(', ')}`);
  return device;
}

export function parseJobDevice(raw: string): JobDevice {
  const device = raw.toLowerCase();
  if (device !== 'gpu' && device !== 'cpu') throw new UsageError(`--device '${raw}' must be gpu or cpu`);
  return device;
}

/** `0,1` → [0, 1]: GPU indexes as the vendor's runtime numbers them, each once. */
export function parseGpus(raw: string): number[] {
  const parts = raw.split(',').map((part) => part.trim());
  if (parts.some((part) => !/^\d{1,3}$/.test(part))) throw new UsageError(`--gpus '${raw}' must be GPU numbers separated by commas, e.g. 0,1`);
  const gpus = parts.map(Number);
  if (new Set(gpus).size !== gpus.length) throw new UsageError(`--gpus '${raw}' names a GPU twice`);
  return gpus;
}

/** The variable that limits a vendor's runtime to some devices, and its value for one GPU. */
const VISIBILITY: Partial<Record<Device, (gpu: number) => Record<string, string>>> = {
  CUDA: (gpu) => ({ CUDA_VISIBLE_DEVICES: String(gpu) }),
  OPTIX: (gpu) => ({ CUDA_VISIBLE_DEVICES: String(gpu) }),
  HIP: (gpu) => ({ HIP_VISIBLE_DEVICES: String(gpu), ROCR_VISIBLE_DEVICES: String(gpu) }),
  ONEAPI: (gpu) => ({ ONEAPI_DEVICE_SELECTOR: `level_zero:${gpu}` }),
  // Metal has no such variable: a Mac renders on its one GPU
};

/**
 * What a chunk's hooks get: RENDER_DEVICE (the Cycles device render-blender asks for; CPU for a job
 * submitted --device cpu), RENDER_GPU, and the vendor's visibility variable for the slot's GPU.
 */
export function deviceEnvironment(device: Device, gpu: number | undefined, jobDevice: JobDevice | undefined): Record<string, string> {
  if (device === 'CPU' || jobDevice === 'cpu') return { RENDER_DEVICE: 'CPU' };
  const env: Record<string, string> = { RENDER_DEVICE: device };
  if (gpu !== undefined) Object.assign(env, { RENDER_GPU: String(gpu) }, VISIBILITY[device]?.(gpu));
  return env;
}

/** A --device gpu job runs only on nodes with a GPU device. */
export function deviceMismatch(jobDevice: JobDevice | undefined, nodeDevice: Device | undefined): string | null {
  return jobDevice === 'gpu' && (nodeDevice ?? 'CPU') === 'CPU' ? 'job wants a GPU node' : null;
}

/** Hands each running chunk one GPU of the node's and takes it back when its hooks end. */
export class GpuSlots {
  readonly #free: number[];

  constructor(gpus: readonly number[]) {
    this.#free = [...gpus];
  }

  /** A free GPU, or undefined when the node has no --gpus (all its GPUs visible to every slot). */
  take(): number | undefined {
    return this.#free.shift();
  }

  give(gpu: number | undefined): void {
    if (gpu !== undefined && !this.#free.includes(gpu)) this.#free.push(gpu);
  }
}

/** What a node's workers use: GPU hand-out and the hook variables for a chunk. */
export function nodeDevices(device: Device, gpus: readonly number[]) {
  const slots = new GpuSlots(gpus);
  return {
    take: () => slots.take(),
    give: (gpu: number | undefined) => slots.give(gpu),
    environment: (gpu: number | undefined, job: { device?: JobDevice }) => deviceEnvironment(device, gpu, job.device),
  };
}
