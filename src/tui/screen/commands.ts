// What each key action does: moving is a pure state change; farm actions ask first where they
// destroy, then run through the app's action queue.
import type { Action } from '../model/keys.js';
import { helpLines } from '../model/keys.js';
import { cyclePane, cycleSort, focusPane, scrollLog, setFilter, setSelection, type TablePane } from '../model/state.js';
import { moveSelection } from '../model/selection.js';
import { browseForBlend } from './file-browser.js';
import { choose, confirm, prompt, showText } from './dialogs.js';
import type { UiHandle } from './handle.js';
import { bulkAction, isBulkAction, isMarkAction, mark } from './bulk.js';

const MOVES: Partial<Record<Action, (page: number) => number>> = {
  up: () => -1, down: () => 1, pageUp: (page) => -page, pageDown: (page) => page, home: () => -Infinity, end: () => Infinity,
};

export async function performAction(app: UiHandle, action: Action): Promise<void> {
  const { state, view } = app;
  if (!view) return;
  const move = MOVES[action];
  if (move) {
    if (state.focus === 'log') {
      // the log scrolls from its end: up is further from the tail
      const delta = -move(view.visible.log);
      app.update(scrollLog(state, Number.isFinite(delta) ? delta : delta > 0 ? view.logMaxScroll : -view.logMaxScroll, view.logMaxScroll));
      return;
    }
    const pane = state.focus as TablePane;
    app.update(setSelection(state, pane, moveSelection(state.selections[pane], move(view.visible[pane]), view.rowIds[pane], view.visible[pane])));
    return;
  }
  if (isMarkAction(action)) return mark(app, action);
  if (isBulkAction(app, action)) return bulkAction(app, action, (title, question) => modal(app, () => confirm(app.deps.screen, title, question)));
  switch (action) {
    case 'nextPane': return app.update(cyclePane(state, 1));
    case 'previousPane': return app.update(cyclePane(state, -1));
    case 'open': return app.update(focusPane(state, state.focus === 'jobs' ? 'chunks' : state.focus === 'chunks' ? 'log' : state.focus));
    case 'showJobs': return app.update(focusPane(state, 'jobs'));
    case 'showChunks': return app.update(focusPane(state, 'chunks'));
    case 'showNodes': return app.update(focusPane(state, 'nodes'));
    case 'showLog': return app.update(focusPane(state, 'log'));
    case 'sort': return app.update(cycleSort(state));
    case 'clearFilter': return app.update(setFilter(state, state.focus, ''));
    case 'filter': return filter(app);
    case 'help': return modal(app, () => showText(app.deps.screen, 'keys', helpLines()));
    case 'quit': return app.stop();
    case 'nodeControl': return controlNode(app);
    case 'add': return addBlend(app);
    default: return jobAction(app, action);
  }
}

/** Runs a dialog with the app's own keys off. */
async function modal<T>(app: UiHandle, open: () => Promise<T>): Promise<T> {
  app.modal = true;
  app.render(); // the preview picture is blanked before a dialog draws over it
  try {
    return await open();
  } finally {
    app.modal = false;
    app.render();
  }
}

async function filter(app: UiHandle): Promise<void> {
  const pane = app.state.focus;
  const text = await modal(app, () => prompt(app.deps.screen, `filter ${pane} /`, app.state.filters[pane]));
  if (text !== undefined) app.update(setFilter(app.state, pane, text));
}

async function jobAction(app: UiHandle, action: Action): Promise<void> {
  const job = app.view?.selectedJob;
  if (!job) return app.notify('no job selected', 'warn');
  const { actions } = app.deps;
  switch (action) {
    case 'priorityUp': return app.runAction(() => actions.changePriority(job.id, 1));
    case 'priorityDown': return app.runAction(() => actions.changePriority(job.id, -1));
    case 'togglePause': return app.runAction(() => actions.setPaused(job.id, !job.paused));
    case 'retry':
      if (job.failed === 0) return app.notify(`${job.name} has no failed chunks`, 'warn');
      return app.runAction(() => actions.retry(job.id));
    case 'remove': {
      const running = job.running > 0 ? ` Its ${job.running} running chunk(s) will be stopped.` : '';
      const yes = await modal(app, () => confirm(app.deps.screen, 'remove job', `Remove ${job.name} (${job.id}) and its ${job.total} chunk(s)?${running}`));
      if (yes) return app.runAction(() => actions.remove(job.id));
      return app.notify('kept', 'dim');
    }
    default: return undefined;
  }
}

async function controlNode(app: UiHandle): Promise<void> {
  const node = app.view?.selectedNode;
  if (!node) return app.notify('no node selected (3 shows the nodes)', 'warn');
  const state = await modal(app, () => choose(app.deps.screen, `node ${node.name} (${node.state})`, [
    { key: 'p', label: 'pause: claim nothing new', value: 'paused' as const },
    { key: 'd', label: 'drain: finish running chunks, then stop claiming', value: 'draining' as const },
    { key: 'r', label: 'resume: claim again', value: 'running' as const },
  ]));
  if (state) await app.runAction(() => app.deps.actions.controlNode(node.name, state));
}

async function addBlend(app: UiHandle): Promise<void> {
  const file = await modal(app, () => browseForBlend(app.deps.screen, app.deps.cwd));
  if (!file) return;
  app.notify(`reading ${file}…`, 'dim');
  await app.runAction(() => app.deps.actions.addBlend(file));
}
