// Mouse: a click focuses a pane and selects the row under it; the wheel scrolls the pane.
import type blessed from 'blessed';
import { PANES, type PaneName } from '../model/layout.js';
import { focusPane, scrollLog, setSelection, type TablePane } from '../model/state.js';
import { scrollSelection, selectVisibleRow } from '../model/selection.js';
import type { UiHandle } from './handle.js';
import type { PaneWidgets } from './panes.js';

/** Rows of a pane above its first table row: the border and the column titles. */
const ROWS_ABOVE_TABLE = 2;
const WHEEL_ROWS = 3;

export function bindMouse(app: UiHandle, widgets: PaneWidgets): void {
  for (const name of PANES) {
    const box = widgets.panes[name];
    box.on('click', (data: blessed.Widgets.Events.IMouseEventArg) => click(app, name, data.y - Number(box.atop) - ROWS_ABOVE_TABLE));
    box.on('wheeldown', () => wheel(app, name, WHEEL_ROWS));
    box.on('wheelup', () => wheel(app, name, -WHEEL_ROWS));
  }
}

function click(app: UiHandle, pane: PaneName, row: number): void {
  if (app.modal || !app.view) return;
  let state = focusPane(app.state, pane);
  if (pane !== 'log' && row >= 0) {
    const table = pane as TablePane;
    state = setSelection(state, table, selectVisibleRow(state.selections[table], row, app.view.rowIds[table], app.view.visible[table]));
  }
  app.update(state);
}

function wheel(app: UiHandle, pane: PaneName, delta: number): void {
  if (app.modal || !app.view) return;
  if (pane === 'log') return app.update(scrollLog(app.state, -delta, app.view.logMaxScroll));
  const table = pane as TablePane;
  app.update(setSelection(app.state, table, scrollSelection(app.state.selections[table], delta, app.view.rowIds[table], app.view.visible[table])));
}
