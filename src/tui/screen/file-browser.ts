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

async function listDir(dir: string, showHidden: boolean): Promise<BrowserEntry[] | string> {
  try {
    return browserEntries(dir, await readEntries(dir), showHidden);
  } catch (error) {
    return `cannot read ${dir}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`;
  }
}

/** Resolves with the chosen .blend's absolute path, or undefined when cancelled. */
export async function browseForBlend(screen: blessed.Widgets.Screen, startDir: string): Promise<string | undefined> {
  // the first listing is read before the browser opens, so keys typed at once act on it
  let dir = startDir;
  let showHidden = false;
  let first = await listDir(dir, showHidden);
  if (typeof first === 'string') first = await listDir((dir = os.homedir()), showHidden);
  let entries: BrowserEntry[] = typeof first === 'string' ? [] : first;
  let loading = false;
  return new Promise((resolve) => {
    const width = Math.min(Number(screen.width) - 4, 90);
    const height = Math.max(8, Number(screen.height) - 6);
    const frame = blessed.box({
      parent: screen, top: 'center', left: 'center', width, height,
      border: { type: 'line' }, style: { border: { fg: 'cyan' } },
    });
    const list = blessed.list({
      parent: frame, top: 0, left: 0, width: width - 2, height: height - 3, keys: true, vi: true, mouse: true, tags: false,
      style: { selected: { inverse: true } },
    });
    blessed.box({ parent: frame, top: height - 3, left: 0, width: width - 2, height: 1, content: 'Enter open/queue  Bksp up  ~ home  . hidden  Esc cancel', style: { fg: 'gray' } });
    const close = (file: string | undefined) => { frame.destroy(); screen.render(); resolve(file); };
    const paint = (selectPath?: string) => {
      frame.setLabel(` add a .blend: ${browserTitle(dir, width - 20)} `);
      list.setItems(entries.map((e) => e.name) as unknown as blessed.Widgets.BlessedElement[]);
      // coming back up, the folder we left stays selected
      list.select(Math.max(0, entries.findIndex((e) => e.path === selectPath)));
      screen.render();
    };
    const go = async (next: string, selectPath?: string) => {
      loading = true;
      const listed = await listDir(next, showHidden);
      loading = false;
      if (typeof listed === 'string') {
        frame.setLabel(` ${listed} `);
        screen.render();
        return;
      }
      entries = listed;
      dir = next;
      paint(selectPath);
    };
    list.on('select', (_item, index) => {
      const entry = entries[index];
      if (!entry || loading) return;
      if (entry.kind === 'blend') close(entry.path);
      else void go(entry.path, entry.kind === 'parent' ? dir : undefined);
    });
    list.key(['backspace'], () => void go(path.dirname(dir), dir));
    list.key(['~'], () => void go(os.homedir()));
    list.key(['.'], () => { showHidden = !showHidden; void go(dir); });
    list.key(['escape', 'q'], () => close(undefined));
    list.focus();
    paint();
  });
}
