// A list that draws only the rows in view (and a few around): a job of 10,000 chunks keeps some
// forty row elements, whatever the scroll position. Rows are one fixed height.
import { h } from './dom.js';

export const ROW_HEIGHT_PX = 30;
const OVERSCAN_ROWS = 8;

export interface VirtualList<T> {
  root: HTMLElement;
  setRows(rows: readonly T[]): void;
}

export function virtualList<T>(renderRow: (row: T, index: number) => HTMLElement, className: string): VirtualList<T> {
  const spacer = h('div', { class: 'vspacer' });
  const root = h('div', { class: `vlist ${className}`, tabindex: 0, role: 'list' }, spacer);
  let rows: readonly T[] = [];
  let scheduled = false;
  const draw = () => {
    scheduled = false;
    const first = Math.max(0, Math.floor(root.scrollTop / ROW_HEIGHT_PX) - OVERSCAN_ROWS);
    const last = Math.min(rows.length, Math.ceil((root.scrollTop + (root.clientHeight || 600)) / ROW_HEIGHT_PX) + OVERSCAN_ROWS);
    const shown: HTMLElement[] = [];
    for (let i = first; i < last; i++) {
      const el = renderRow(rows[i], i);
      el.style.top = `${i * ROW_HEIGHT_PX}px`;
      el.setAttribute('role', 'listitem');
      shown.push(el);
    }
    spacer.replaceChildren(...shown);
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(draw);
  };
  root.addEventListener('scroll', schedule, { passive: true });
  window.addEventListener('resize', schedule);
  return {
    root,
    setRows(next) {
      rows = next;
      spacer.style.height = `${rows.length * ROW_HEIGHT_PX}px`;
      draw();
    },
  };
}
