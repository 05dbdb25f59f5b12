// The nodes table: state, pool, what each node runs, and its CPU, memory, swap and load.
import type { NodeRecord } from '../../spool/records.js';
import { rowLine, type Column, type FittedColumn, type Line, type Segment, type Tone } from './columns.js';
import { matchesFilter, type FilterTerm } from './filter.js';
import { bar, formatBytes, printable, type BarGlyphs } from './text.js';

/** A node whose heartbeat has not changed for this long, on the ui's own monotonic clock, shows as silent. */
export const NODE_SILENT_MS = 15_000;

export type NodeShownState = NodeRecord['state'] | 'silent';

export interface NodeRow {
  name: string;
  host: string;
  state: NodeShownState;
  pool?: string;
  slots: number;
  /** What it runs, as `job:chunk` (job names where known). */
  running: string[];
  cpu?: number;
  mem?: { used: number; total: number };
  swap?: { used: number; total: number };
  load?: readonly number[];
}

const NODE_TONES: Record<NodeShownState, Tone> = { running: 'good', paused: 'paused', draining: 'warn', stopping: 'warn', silent: 'bad' };

/**
 * `silentMs`: how long each node's heartbeat has stood still, as the ui measured it (invariant 4:
 * never by comparing the node's clock with ours). `jobNames` turns job ids into names.
 */
export function toNodeRow(node: NodeRecord, silentMs: number, jobNames: ReadonlyMap<string, string>): NodeRow {
  return {
    name: node.name,
    host: printable(node.host),
    state: silentMs >= NODE_SILENT_MS ? 'silent' : node.state,
    pool: node.pool,
    slots: node.slots,
    running: node.running.map((r) => printable(`${jobNames.get(r.job) ?? r.job}:${r.chunk}`)),
    cpu: node.sys?.cpuPercent,
    mem: node.sys ? { used: node.sys.mem.used, total: node.sys.mem.total } : undefined,
    swap: node.sys?.swap,
    load: node.sys?.load,
  };
}

export function buildNodeRows(nodes: Iterable<NodeRecord>, silentMs: ReadonlyMap<string, number>, jobNames: ReadonlyMap<string, string>, filter: readonly FilterTerm[]): NodeRow[] {
  const rows: NodeRow[] = [];
  for (const node of nodes) {
    const row = toNodeRow(node, silentMs.get(node.name) ?? 0, jobNames);
    if (filter.length > 0 && !matchesFilter(filter, { name: row.name, host: row.host, state: row.state, pool: row.pool, running: row.running.join(' ') })) continue;
    rows.push(row);
  }
  return rows.sort((a, b) => a.name.localeCompare(b.name));
}

export type NodeColumn = 'name' | 'state' | 'pool' | 'slots' | 'cpu' | 'mem' | 'swap' | 'load' | 'running' | 'host';

export const NODE_COLUMNS: readonly Column<NodeColumn>[] = [
  { key: 'name', title: 'NODE', width: 8, flex: 1, max: 20 },
  { key: 'host', title: 'HOST', width: 10, flex: 0.5, max: 24, drop: 5 },
  { key: 'state', title: 'STATE', width: 8 },
  { key: 'pool', title: 'POOL', width: 6, drop: 3 },
  { key: 'slots', title: 'RUN', width: 5, align: 'right' },
  { key: 'cpu', title: 'CPU', width: 9, flex: 1, max: 20 },
  { key: 'mem', title: 'MEM', width: 14, flex: 1, max: 26 },
  { key: 'swap', title: 'SWAP', width: 14, flex: 1, max: 26 },
  { key: 'load', title: 'LOAD', width: 5, flex: 1, max: 14, drop: 2 },
  { key: 'running', title: 'RUNNING', width: 12, flex: 2, drop: 4 },
];

/** A bar followed by a label, the bar dropped when the cell is too narrow for both. */
export function barWithLabel(fraction: number, label: string, width: number, glyphs: BarGlyphs): string {
  const room = width - label.length - 1;
  return room >= 3 ? `${bar(fraction, room, glyphs)} ${label}` : label;
}

function usageText(usage: { used: number; total: number } | undefined, width: number, glyphs: BarGlyphs): string {
  if (!usage) return '-';
  return barWithLabel(usage.total > 0 ? usage.used / usage.total : 0, `${formatBytes(usage.used)}/${formatBytes(usage.total)}`, width, glyphs);
}

function usageTone(usage: { used: number; total: number } | undefined, warnAt: number): Tone {
  if (!usage || usage.total === 0) return 'dim';
  const share = usage.used / usage.total;
  return share >= 0.9 ? 'bad' : share >= warnAt ? 'warn' : 'normal';
}

/** Load averages: all three when the cell has room, else the one-minute figure. */
export function loadText(load: readonly number[] | undefined, width: number): string {
  if (!load || load.length === 0) return '-';
  const all = load.map((l) => l.toFixed(2)).join(' ');
  return all.length <= width ? all : load[0].toFixed(1);
}

export function nodeLine(row: NodeRow, columns: readonly FittedColumn<NodeColumn>[], glyphs: BarGlyphs, selected: boolean): Line {
  const width = (key: NodeColumn) => columns.find((c) => c.key === key)?.width ?? 0;
  const cells: Record<NodeColumn, Segment> = {
    name: { text: row.name },
    host: { text: row.host, tone: 'dim' },
    state: { text: row.state, tone: NODE_TONES[row.state] },
    pool: { text: row.pool ?? '-', tone: row.pool ? 'normal' : 'dim' },
    slots: { text: `${row.running.length}/${row.slots}`, tone: row.running.length ? 'busy' : 'normal' },
    cpu: { text: row.cpu === undefined ? '-' : barWithLabel(row.cpu / 100, `${Math.round(row.cpu)}%`.padStart(4), width('cpu'), glyphs), tone: row.cpu !== undefined && row.cpu >= 90 ? 'busy' : 'normal' },
    mem: { text: usageText(row.mem, width('mem'), glyphs), tone: usageTone(row.mem, 0.8) },
    swap: { text: usageText(row.swap, width('swap'), glyphs), tone: usageTone(row.swap, 0.25) },
    load: { text: loadText(row.load, width('load')) },
    running: { text: row.running.join(' ') || '-', tone: row.running.length ? 'busy' : 'dim' },
  };
  return rowLine(columns, cells, selected);
}
