// The dashboard's entry: the shell (title, token, status line), the hash router (#/ and #/job/ID) and
// the one event stream that keeps the farm state current.
import type { FarmChanges, FarmView } from '../farm-view.js';
import { getJson, postAction, savedToken, saveToken } from './api.js';
import { h, fill } from './dom.js';
import { buildFarmPage, renderJobs, renderNodes, type FarmPageHandlers } from './farm-page.js';
import type { JobFilterState, SortState } from './filter.js';
import { JobPage, type JobDoc } from './job-page.js';
import { applyChanges, applySnapshot, emptyFarm, type FarmState } from './store.js';

let farm: FarmState = emptyFarm();
let filter: JobFilterState = { states: [], owner: '', name: '' };
let sort: SortState | undefined;
let jobPage: JobPage | undefined;
let farmPage: ReturnType<typeof buildFarmPage> | undefined;

const status = h('p', { id: 'status', role: 'status', 'aria-live': 'polite' });
const live = h('span', { id: 'live', class: 'off', title: 'event stream' }, 'connecting');
const token = h('input', { type: 'password', id: 'token', placeholder: 'token (render web token)', 'aria-label': 'token', autocomplete: 'off', value: savedToken() });
token.addEventListener('change', () => saveToken(token.value));
const view = h('div', { id: 'view' });
document.body.append(h('header', {}, h('h1', {}, h('a', { href: '#/' }, 'renderd')), live, token), status, view);

function say(line: string, ok: boolean): void {
  status.textContent = line;
  status.className = ok ? 'ok' : 'refused';
  status.setAttribute('role', ok ? 'status' : 'alert');
}

async function act(url: string, body?: unknown): Promise<void> {
  saveToken(token.value);
  const outcome = await postAction(url, body);
  say(outcome.line, outcome.ok);
}

const farmHandlers: FarmPageHandlers = {
  onFilter(next) { filter = next; drawFarm(); },
  onSort(key) { sort = sort?.key === key ? { key, descending: !sort.descending } : { key, descending: false }; drawFarm(); },
  onNodeAction(node, action) { void act(`/api/nodes/${encodeURIComponent(node)}/${action}`); },
};

let drawPending = false;
function drawFarm(): void {
  if (!farmPage || drawPending) return;
  drawPending = true;
  requestAnimationFrame(() => {
    drawPending = false;
    if (!farmPage) return;
    renderJobs(farmPage.jobs, farm, filter, sort, farmHandlers);
    renderNodes(farmPage.nodes, farm, farmHandlers);
  });
}

/** A busy job changes every poll: its page reloads at most this often (a 10,000-chunk job is 1.6 MB). */
const JOB_RELOAD_MIN_MS = 1000;
let jobLoad: number | undefined;
let jobLoadedAt = -Infinity;
function loadJob(delayMs = 0, now = false): void {
  if (!jobPage || jobLoad !== undefined) return;
  const page = jobPage;
  const wait = now ? delayMs : Math.max(delayMs, jobLoadedAt + JOB_RELOAD_MIN_MS - performance.now());
  jobLoad = window.setTimeout(async () => {
    jobLoad = undefined;
    jobLoadedAt = performance.now();
    try {
      const doc = await getJson<JobDoc>(`/api/jobs/${encodeURIComponent(page.job)}`);
      if (page === jobPage) page.show(doc);
    } catch (error) {
      if (page === jobPage) say(`job ${page.job}: ${(error as Error).message}`, false);
    }
  }, wait);
}

function route(): void {
  jobPage?.close();
  jobPage = undefined;
  farmPage = undefined;
  const match = /^#\/job\/([^/]+)$/.exec(location.hash);
  if (match) {
    jobPage = new JobPage(decodeURIComponent(match[1]), { onAction: (job, action, body) => void act(`/api/jobs/${encodeURIComponent(job)}/${action}`, body).then(() => loadJob(0, true)) });
    fill(view, jobPage.root);
    loadJob(0, true);
  } else {
    farmPage = buildFarmPage(filter, farmHandlers);
    fill(view, farmPage.root);
    drawFarm();
  }
}

function connect(): void {
  const events = new EventSource('/api/events');
  events.addEventListener('open', () => { live.textContent = 'live'; live.className = 'on'; });
  events.addEventListener('error', () => { live.textContent = 'reconnecting'; live.className = 'off'; });
  events.addEventListener('snapshot', (e) => { farm = applySnapshot(JSON.parse((e as MessageEvent).data) as FarmView); drawFarm(); loadJob(); });
  events.addEventListener('farm', (e) => { farm = applyChanges(farm, JSON.parse((e as MessageEvent).data) as FarmChanges); drawFarm(); });
  events.addEventListener('job', (e) => { if ((JSON.parse((e as MessageEvent).data) as { id: string }).id === jobPage?.job) loadJob(100); });
  events.addEventListener('problem', (e) => say((JSON.parse((e as MessageEvent).data) as { message: string }).message, false));
}

window.addEventListener('hashchange', route);
route();
connect();
