// CPU, memory, swap and load of this machine, for the node record (systeminformation reads /proc).
import os from 'node:os';

// loaded on first use: its import (some 25 modules, ~50 ms) would otherwise delay a node's first claim
let systemInformation: Promise<typeof import('systeminformation')> | undefined;

export interface SystemFigures {
  cpus: number;
  cpuPercent: number;
  load: number[];
  mem: { total: number; used: number; available: number };
  swap: { total: number; used: number };
}

type CpuTimes = { idle: number; total: number };

function cpuTimes(): CpuTimes {
  let idle = 0;
  let total = 0;
  for (const cpu of os.cpus()) {
    const t = cpu.times;
    idle += t.idle;
    total += t.user + t.nice + t.sys + t.idle + t.irq;
  }
  return { idle, total };
}

/** Busy share of the CPUs between two samples, in percent. */
export function cpuPercentBetween(before: CpuTimes, after: CpuTimes): number {
  const total = after.total - before.total;
  if (total <= 0) return 0;
  return Math.round(1000 * (1 - (after.idle - before.idle) / total)) / 10;
}

export class SystemSampler {
  private last = cpuTimes();

  async sample(): Promise<SystemFigures> {
    const now = cpuTimes();
    const cpuPercent = cpuPercentBetween(this.last, now);
    this.last = now;
    systemInformation ??= import('systeminformation');
    const mem = await (await systemInformation).mem();
    return {
      cpus: os.cpus().length,
      cpuPercent,
      load: os.loadavg().map((l) => Math.round(l * 100) / 100),
      mem: { total: mem.total, used: mem.total - mem.available, available: mem.available },
      swap: { total: mem.swaptotal, used: mem.swapused },
    };
  }
}
