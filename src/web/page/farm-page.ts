// The farm page: the jobs (filtered and sorted as the user asks) and the nodes, from the farm state.
import type { JobRow, NodeRow } from '../farm-view.js';
import { h, fill } from './dom.js';
import { sparkline } from './chart.js';
import { filterJobRows, sortJobRows, type JobFilterState, type SortState } from './filter.js';
import { formatBytes, formatDuration } from './format.js';
import { jobName, type FarmState } from './store.js';

export interface FarmPageHandlers {
  onFilter(filter: JobFilterState): void;
  onSort(key: string): void;
  onNodeAction(node: string, action: 'pause' | 'resume' | 'drain'): void;
}

const JOB_STATES = ['queued', 'running', 'paused', 'done', 'failed', 'broken'];
const JOB_COLUMNS: [string, string][] = [['name', 'Job'], ['state', 'State'], ['owner', 'Owner'], ['priority', 'Prio'], ['progress', 'Progress'], ['frames', 'Frames'], ['eta', 'ETA']];

/** The page's fixed frame: filter fields keep their focus while the tables under them change. */
export function buildFarmPage(filter: JobFilterState, handlers: FarmPageHandlers): { root: HTMLElement; jobs: HTMLElement; nodes: HTMLElement } {
  const state = h('select', { 'aria-label': 'state', name: 'state' }, h('option', { value: '' }, 'all states'), ...JOB_STATES.map((s) => h('option', { value: s }, s)));
  state.value = filter.states[0] ?? '';
  const owner = h('input', { type: 'search', placeholder: 'owner', 'aria-label': 'owner', name: 'owner', value: filter.owner });
  const name = h('input', { type: 'search', placeholder: 'name (glob: shot_*)', 'aria-label': 'name', name: 'name', value: filter.name });
  const changed = () => handlers.onFilter({ states: state.value ? [state.value] : [], owner: owner.value, name: name.value });
  for (const el of [state, owner, name]) el.addEventListener('input', changed);
  const jobs = h('div', { class: 'scroll' });
  const nodes = h('div', { class: 'scroll' });
  const root = h('main', { id: 'farm' },
    h('section', {}, h('h2', {}, 'Jobs'), h('div', { class: 'filters' }, state, owner, name), jobs),
    h('section', {}, h('h2', {}, 'Nodes'), nodes));
  return { root, jobs, nodes };
}

export function renderJobs(el: HTMLElement, farm: FarmState, filter: JobFilterState, sort: SortState | undefined, handlers: FarmPageHandlers): void {
  const rows = sortJobRows(filterJobRows([...farm.jobs.values()], filter), sort);
  const head = h('tr', {}, ...JOB_COLUMNS.map(([key, title]) => {
    const mark = sort?.key === key ? (sort.descending ? ' ▼' : ' ▲') : '';
    return h('th', { scope: 'col', class: `c-${key}`, 'aria-sort': sort?.key === key ? (sort.descending ? 'descending' : 'ascending') : undefined },
      h('button', { type: 'button', class: 'sort', onclick: () => handlers.onSort(key) }, title + mark));
  }));
  const body = rows.map(jobRow);
  fill(el, h('table', { class: 'jobs' }, h('thead', {}, head), h('tbody', {}, ...body)),
    rows.length === 0 ? h('p', { class: 'empty' }, farm.jobs.size === 0 ? 'no jobs' : 'no job matches') : null);
}

function jobRow(job: JobRow): HTMLElement {
  const share = job.chunks.total ? job.chunks.done / job.chunks.total : 0;
  return h('tr', { 'data-job': job.id, class: `s-${job.state}` },
    h('td', { class: 'c-name' }, h('a', { href: `#/job/${encodeURIComponent(job.id)}` }, job.name), h('small', {}, ` ${job.id}`)),
    h('td', { class: 'c-state' }, h('span', { class: `badge s-${job.state}`, title: job.reason }, job.state)),
    h('td', { class: 'c-owner' }, job.owner),
    h('td', { class: 'c-priority num' }, job.priority),
    h('td', { class: 'c-progress' }, h('progress', { max: 1, value: share, title: `${job.chunks.done}/${job.chunks.total} chunks, ${job.chunks.running} running, ${job.chunks.failed} failed` }),
      h('small', {}, ` ${Math.floor(share * 100)}%`)),
    h('td', { class: 'c-frames num' }, `${job.framesDone}/${job.framesTotal}`),
    h('td', { class: 'c-eta num' }, formatDuration(job.etaMs)));
}

export function renderNodes(el: HTMLElement, farm: FarmState, handlers: FarmPageHandlers): void {
  const rows = [...farm.nodes.values()].sort((a, b) => a.name.localeCompare(b.name));
  const head = h('tr', {}, ...['Node', 'State', 'Running', 'CPU', 'Memory', 'Swap', 'Tags', 'Pool', ''].map((t) => h('th', { scope: 'col', class: `n-${t.toLowerCase()}` }, t)));
  fill(el, h('table', { class: 'nodes' }, h('thead', {}, head), h('tbody', {}, ...rows.map((n) => nodeRow(n, farm, handlers)))),
    rows.length === 0 ? h('p', { class: 'empty' }, 'no nodes') : null);
}

function nodeRow(node: NodeRow, farm: FarmState, handlers: FarmPageHandlers): HTMLElement {
  const sys = node.sys;
  const act = (action: 'pause' | 'resume' | 'drain') => h('button', { type: 'button', class: `act node-${action}`, onclick: () => handlers.onNodeAction(node.name, action) }, action);
  return h('tr', { 'data-node': node.name, class: `s-${node.state}` },
    h('td', {}, node.name, h('small', {}, ` ${node.host}`)),
    h('td', {}, h('span', { class: `badge s-${node.state}` }, node.state)),
    h('td', {}, `${node.running.length}/${node.slots} `, ...node.running.map((r) => h('a', { class: 'chip', href: `#/job/${encodeURIComponent(r.job)}` }, `${jobName(farm, r.job)}:${r.chunk}`))),
    h('td', { class: 'num' }, sys ? `${Math.round(sys.cpuPercent)}% ` : '', sparkline(node.history.map((s) => s.cpuPercent / 100), 'CPU history')),
    h('td', { class: 'num' }, sys ? `${formatBytes(sys.mem.used)}/${formatBytes(sys.mem.total)} ` : '', sparkline(node.history.map((s) => s.mem), 'memory history')),
    h('td', { class: 'num n-swap' }, sys ? `${formatBytes(sys.swap.used)}/${formatBytes(sys.swap.total)} ` : '', sparkline(node.history.map((s) => s.swap), 'swap history')),
    h('td', { class: 'n-tags' }, node.tags.join(', ')),
    h('td', { class: 'n-pool' }, node.pool ?? ''),
    h('td', { class: 'actions' }, node.state === 'running' ? act('pause') : act('resume'), node.state === 'running' ? act('drain') : null));
}
