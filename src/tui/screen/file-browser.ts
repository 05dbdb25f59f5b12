// The `a` key's file browser: folders and .blend files; Enter opens a folder or picks a file,
// Backspace goes up, ~ goes home, . shows hidden files, Esc cancels. Mouse clicks and wheel work.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import blessed from 'blessed';
import { browserEntries, browserTitle, type BrowserEntry, type RawDirEntry } from '../model/browser.js';

async function readEntries(dir: string): Promise<RawDirEntry[]> {
  const dirents = await fs.readdir(dir, { withFileTypes: true });
  return Promise.all(dirents.map(async (d) => {
    if (!d.isSymbolicLink()) return { name: d.name, isDirectory: d.isDirectory() };
    // a link to a folder is a folder to walk into; a dangling one is a file that will not be listed
    const stat = await fs.stat(path.join(dir, d.name)).catch(() => null);
    return { name: d.name, isDirectory: stat?.isDirectory() ?? false };
  }));
}

/** Resolves with the chosen .blend's absolute path, or undefined when cancelled. */
export function browseForBlend(screen: blessed.Widgets.Screen, startDir: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    let dir = startDir;
    let showHidden = false;
    let entries: BrowserEntry[] = [];
    const width = Math.min(Number(screen.width) - 4, 90);
    const list = blessed.list({
      parent: screen, top: 'center', left: 'center', width, height: Math.max(8, Number(screen.height) - 6),
      border: { type: 'line' }, keys: true, vi: true, mouse: true, tags: false,
      style: { border: { fg: 'cyan' }, selected: { inverse: true } },
    });
    const hint = blessed.box({ parent: list, bottom: 0, left: 0, right: 0, height: 1, content: 'Enter open/queue  Bksp up  ~ home  . hidden  Esc cancel', style: { fg: 'gray' } });
    const close = (file: string | undefined) => { hint.destroy(); list.destroy(); screen.render(); resolve(file); };
    const show = async (next: string) => {
      try {
        entries = browserEntries(next, await readEntries(next), showHidden);
        dir = next;
      } catch (error) {
        list.setLabel(` cannot read ${next}: ${(error as NodeJS.ErrnoException).code ?? 'error'} `);
        screen.render();
        return;
      }
      list.setLabel(` add a .blend: ${browserTitle(dir, width - 20)} `);
      list.setItems(entries.map((e) => e.name) as unknown as blessed.Widgets.BlessedElement[]);
      list.select(0);
      screen.render();
    };
    list.on('select', (_item, index) => {
      const entry = entries[index];
      if (!entry) return;
      if (entry.kind === 'blend') close(entry.path);
      else void show(entry.path);
    });
    list.key(['backspace'], () => void show(path.dirname(dir)));
    list.key(['~'], () => void show(os.homedir()));
    list.key(['.'], () => { showHidden = !showHidden; void show(dir); });
    list.key(['escape', 'q'], () => close(undefined));
    list.focus();
    void show(startDir);
  });
}
