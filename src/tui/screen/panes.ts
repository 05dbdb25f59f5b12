// The four pane boxes, the header and the footer: created once, then moved, resized and refilled from
// each ScreenView. Nothing is recreated per frame, and blessed redraws only cells that changed, so a
// refresh does not flicker.
import blessed from 'blessed';
import type { PaneName, Rect } from '../model/layout.js';
import { PANES } from '../model/layout.js';
import type { ScreenView } from '../model/view.js';
import { paintLine, paintLines } from './paint.js';
import { printable } from '../model/text.js';

export interface PaneWidgets {
  header: blessed.Widgets.BoxElement;
  footer: blessed.Widgets.BoxElement;
  panes: Record<PaneName, blessed.Widgets.BoxElement>;
  /** An empty box: the picture is drawn into it by the preview overlay. */
  preview: blessed.Widgets.BoxElement;
}

export function createPaneWidgets(screen: blessed.Widgets.Screen): PaneWidgets {
  const bar = () => blessed.box({ parent: screen, top: 0, left: 0, width: '100%', height: 1, tags: true, wrap: false });
  const panes = {} as Record<PaneName, blessed.Widgets.BoxElement>;
  for (const name of PANES) {
    panes[name] = blessed.box({
      parent: screen, tags: true, wrap: false, border: { type: 'line' }, hidden: true,
      style: { border: { fg: 'gray' }, label: { fg: 'gray' } },
    });
  }
  const preview = blessed.box({ parent: screen, tags: false, border: { type: 'line' }, hidden: true, style: { border: { fg: 'gray' }, label: { fg: 'gray' } } });
  return { header: bar(), footer: bar(), panes, preview };
}

function place(box: blessed.Widgets.BoxElement, rect: Rect): void {
  // compare first: assigning the same position still marks the box for a full redraw
  if (box.left !== rect.left) box.left = rect.left;
  if (box.top !== rect.top) box.top = rect.top;
  if (box.width !== rect.width) box.width = rect.width;
  if (box.height !== rect.height) box.height = rect.height;
}

export function paintScreen(widgets: PaneWidgets, view: ScreenView): void {
  place(widgets.header, view.layout.header);
  place(widgets.footer, view.layout.footer);
  widgets.header.setContent(paintLine(view.header));
  widgets.footer.setContent(paintLine(view.footer));
  const shown = new Set<PaneName>();
  for (const pane of view.panes) {
    const box = widgets.panes[pane.name];
    shown.add(pane.name);
    place(box, pane.rect);
    const colour = pane.focused ? 'cyan' : 'gray';
    box.style.border.fg = colour;
    box.style.label.fg = colour;
    box.setLabel(` ${pane.focused ? '> ' : ''}${blessed.escape(printable(pane.title))} `);
    box.setContent(paintLines(pane.lines, pane.focused));
    if (box.hidden) box.show();
  }
  for (const name of PANES) if (!shown.has(name) && !widgets.panes[name].hidden) widgets.panes[name].hide();
  const preview = view.preview;
  if (!preview) {
    if (!widgets.preview.hidden) widgets.preview.hide();
    return;
  }
  place(widgets.preview, preview.rect);
  widgets.preview.setLabel(` ${blessed.escape(preview.title)} `);
  widgets.preview.setContent(preview.file ? '' : ' no preview yet');
  if (widgets.preview.hidden) widgets.preview.show();
}
