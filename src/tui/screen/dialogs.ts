// Small modal dialogs over the panes: confirm, choose, prompt and help. Each resolves a promise when
// it closes and removes itself; the app ignores its own keys while one is open.
import blessed from 'blessed';

type Screen = blessed.Widgets.Screen;

const DIALOG_STYLE = { border: { fg: 'cyan' }, label: { fg: 'cyan', bold: true } };

function dialogBox(screen: Screen, label: string, lines: string[], width?: number): blessed.Widgets.BoxElement {
  const contentWidth = Math.max(label.length + 4, ...lines.map((l) => l.length));
  return blessed.box({
    parent: screen, top: 'center', left: 'center', tags: false, border: { type: 'line' }, label: ` ${label} `,
    width: Math.min(Number(screen.width) - 2, width ?? contentWidth + 4), height: Math.min(Number(screen.height) - 2, lines.length + 2),
    padding: { left: 1, right: 1 }, content: lines.join('\n'), style: DIALOG_STYLE,
  });
}

/** y (or Enter on "yes") confirms; n, Esc or q cancels. */
export function confirm(screen: Screen, title: string, question: string): Promise<boolean> {
  return new Promise((resolve) => {
    const box = dialogBox(screen, title, [question, '', 'y  yes        n  no']);
    box.focus();
    const close = (answer: boolean) => { box.destroy(); screen.render(); resolve(answer); };
    box.key(['y', 'S-y'], () => close(true));
    box.key(['n', 'S-n', 'escape', 'q'], () => close(false));
    screen.render();
  });
}

export interface Choice<T> { key: string; label: string; value: T }

/** A short menu: a choice's key picks it, or arrows and Enter; Esc cancels. */
export function choose<T>(screen: Screen, title: string, choices: Choice<T>[]): Promise<T | undefined> {
  return new Promise((resolve) => {
    const items = choices.map((c) => `${c.key}  ${c.label}`);
    const list = blessed.list({
      parent: screen, top: 'center', left: 'center', label: ` ${title} `, border: { type: 'line' },
      width: Math.min(Number(screen.width) - 2, Math.max(title.length + 6, ...items.map((i) => i.length + 4))), height: items.length + 2,
      items, keys: true, vi: false, mouse: true, style: { border: DIALOG_STYLE.border, selected: { inverse: true } },
    });
    const close = (value: T | undefined) => { list.destroy(); screen.render(); resolve(value); };
    list.on('select', (_item, index) => close(choices[index]?.value));
    list.key(['escape', 'q'], () => close(undefined));
    for (const choice of choices) list.key([choice.key], () => close(choice.value));
    list.focus();
    screen.render();
  });
}

/** One line of input on the footer row; Enter gives the text, Esc undefined. */
export function prompt(screen: Screen, label: string, initial: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const caption = blessed.box({ parent: screen, bottom: 0, left: 0, width: label.length + 1, height: 1, content: label, style: { fg: 'cyan', bold: true } });
    const input = blessed.textbox({ parent: screen, bottom: 0, left: label.length + 1, height: 1, width: Math.max(10, Number(screen.width) - label.length - 1), style: { bg: 'black', fg: 'white' } });
    input.setValue(initial);
    input.readInput((_error, value) => {
      caption.destroy();
      input.destroy();
      screen.render();
      resolve(value ?? undefined);
    });
    screen.render();
  });
}

/** Lines of text in a box; any key closes it. */
export function showText(screen: Screen, title: string, lines: string[]): Promise<void> {
  return new Promise((resolve) => {
    const box = dialogBox(screen, title, [...lines, '', 'any key closes']);
    box.focus();
    box.once('keypress', () => { box.destroy(); screen.render(); resolve(); });
    box.on('click', () => { box.destroy(); screen.render(); resolve(); });
    screen.render();
  });
}
