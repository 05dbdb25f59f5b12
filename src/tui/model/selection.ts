// The cursor of a table: which row is selected (followed by id across refreshes, so a row that moves
// when the table re-sorts stays selected) and which slice of rows the pane shows.

export interface Selection {
  /** Id of the selected row; undefined in an empty table. */
  id?: string;
  /** Its index in the table, used when the id disappears (the next row takes its place). */
  index: number;
  /** First row shown. */
  offset: number;
}

export const EMPTY_SELECTION: Selection = Object.freeze({ index: 0, offset: 0 });

/** Keeps `index` in the table and the window of `visible` rows around it. */
function place(index: number, offset: number, ids: readonly string[], visible: number): Selection {
  if (ids.length === 0) return { index: 0, offset: 0 };
  const i = Math.max(0, Math.min(ids.length - 1, index));
  const rows = Math.max(1, visible);
  let top = Math.max(0, Math.min(offset, ids.length - rows));
  if (i < top) top = i;
  if (i >= top + rows) top = i - rows + 1;
  return { id: ids[i], index: i, offset: top };
}

/** After the rows changed: the same id where it is now, else the row now at the old index. */
export function reconcileSelection(selection: Selection, ids: readonly string[], visible: number): Selection {
  const found = selection.id === undefined ? -1 : ids.indexOf(selection.id);
  const index = found >= 0 ? found : selection.index;
  // keep the selected row at the same place on screen when it moved in the table
  const offset = found >= 0 ? selection.offset + (found - selection.index) : selection.offset;
  return place(index, offset, ids, visible);
}

/** Moves by `delta` rows (±1, ±page; ±Infinity for the ends). */
export function moveSelection(selection: Selection, delta: number, ids: readonly string[], visible: number): Selection {
  const from = reconcileSelection(selection, ids, visible).index;
  const target = delta === Infinity ? ids.length - 1 : delta === -Infinity ? 0 : from + delta;
  return place(target, selection.offset, ids, visible);
}

/** A click on the `row`-th line of the pane's window. */
export function selectVisibleRow(selection: Selection, row: number, ids: readonly string[], visible: number): Selection {
  const index = selection.offset + row;
  return index >= 0 && index < ids.length ? place(index, selection.offset, ids, visible) : selection;
}

/** The mouse wheel: moves the window and takes the selection along. */
export function scrollSelection(selection: Selection, delta: number, ids: readonly string[], visible: number): Selection {
  const current = reconcileSelection(selection, ids, visible);
  const maxOffset = Math.max(0, ids.length - Math.max(1, visible));
  const offset = Math.max(0, Math.min(maxOffset, current.offset + delta));
  return place(current.index + (offset - current.offset), offset, ids, visible);
}
