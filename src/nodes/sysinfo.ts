// CPU, memory, swap and load of this machine, for the node record. On Linux /proc/stat, /proc/meminfo and
// /proc/loadavg stay open and are re-read in place (an idle node's every open counts: issue 17);
// elsewhere systeminformation answers.
import fs from 'node:fs';
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

/** Busy share of the CPUs between two samples, in percent. */
export function cpuPercentBetween(before: CpuTimes, after: CpuTimes): number {
  const total = after.total - before.total;
  if (total <= 0) return 0;
  return Math.round(1000 * (1 - (after.idle - before.idle) / total)) / 10;
}

/** The first line of /proc/stat: "cpu user nice system idle iowait irq softirq steal …" (iowait counts as idle). */
export function parseProcStat(text: string): CpuTimes | undefined {
  const fields = /^cpu\s+(.*)$/m.exec(text)?.[1].trim().split(/\s+/).map(Number);
  if (!fields || fields.length < 4 || fields.some((n) => !Number.isFinite(n))) return undefined;
  const [user, nice, system, idle, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
  return { idle: idle + iowait, total: user + nice + system + idle + iowait + irq + softirq + steal };
}

/** /proc/meminfo in bytes: MemTotal, MemAvailable, SwapTotal, SwapFree (undefined when one is missing). */
export function parseMeminfo(text: string): { total: number; available: number; swapTotal: number; swapFree: number } | undefined {
  const kib = (key: string) => {
    const match = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text);
    return match ? Number(match[1]) * 1024 : undefined;
  };
  const [total, available, swapTotal, swapFree] = ['MemTotal', 'MemAvailable', 'SwapTotal', 'SwapFree'].map(kib);
  if (total === undefined || available === undefined || swapTotal === undefined || swapFree === undefined) return undefined;
  return { total, available, swapTotal, swapFree };
}

/** A /proc file opened once and read again from its start (the kernel regenerates it on each read from 0). */
class ProcFile {
  private fd: number | undefined;
  private readonly buffer = Buffer.alloc(16384);

  constructor(private readonly file: string) {}

  read(): string | undefined {
    try {
      this.fd ??= fs.openSync(this.file, 'r');
      const n = fs.readSync(this.fd, this.buffer, 0, this.buffer.length, 0);
      return this.buffer.toString('latin1', 0, n);
    } catch {
      return undefined;
    }
  }
}

const meminfo = new ProcFile('/proc/meminfo');
const procStat = new ProcFile('/proc/stat');
const loadavg = new ProcFile('/proc/loadavg');

/** Memory now, from /proc/meminfo (undefined where there is none). */
export function readMemory(): ReturnType<typeof parseMeminfo> {
  const text = meminfo.read();
  return text === undefined ? undefined : parseMeminfo(text);
}

function cpuTimes(): CpuTimes {
  const fromProc = procStat.read();
  const parsed = fromProc === undefined ? undefined : parseProcStat(fromProc);
  if (parsed) return parsed;
  let idle = 0;
  let total = 0;
  for (const cpu of os.cpus()) {
    const t = cpu.times;
    idle += t.idle;
    total += t.user + t.nice + t.sys + t.idle + t.irq;
  }
  return { idle, total };
}

function loadAverage(): number[] {
  const fields = loadavg.read()?.split(' ').slice(0, 3).map(Number);
  const load = fields?.length === 3 && fields.every(Number.isFinite) ? fields : os.loadavg();
  return load.map((l) => Math.round(l * 100) / 100);
}

export class SystemSampler {
  private last = cpuTimes();
  private readonly cpus = os.cpus().length;

  async sample(): Promise<SystemFigures> {
    const now = cpuTimes();
    const cpuPercent = cpuPercentBetween(this.last, now);
    this.last = now;
    const proc = readMemory();
    const mem = proc
      ? { total: proc.total, available: proc.available, swaptotal: proc.swapTotal, swapused: proc.swapTotal - proc.swapFree }
      : await (await (systemInformation ??= import('systeminformation'))).mem();
    return {
      cpus: this.cpus,
      cpuPercent,
      load: loadAverage(),
      mem: { total: mem.total, used: mem.total - mem.available, available: mem.available },
      swap: { total: mem.swaptotal, used: mem.swapused },
    };
  }
}
