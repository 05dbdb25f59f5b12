// The dashboard's own files: index.html and style.css from src/web/static, the compiled modules from
// dist/src/web/page (tsc builds them with the rest; both folders ship in the npm package). Read once.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ServerResponse } from 'node:http';
import { packagePath } from '../hooks/defaults.js';
import { sendLine } from './replies.js';

// found from the package root, not this file's place: the node and the CLI run from one bundled file
export const STATIC_DIR = packagePath('src', 'web', 'static');
export const SCRIPTS_DIR = packagePath('dist', 'src', 'web', 'page');
/** dist/src/text: the modules the page shares with the CLI and the ui. */
export const SHARED_DIR = packagePath('dist', 'src', 'text');

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8' };

export class PageFiles {
  private readonly cache = new Map<string, Buffer>();

  /** `file` comes from routes.ts: 'index.html', 'style.css', 'app/<name>.js' or 'text/<name>.js', never a user path. */
  async send(res: ServerResponse, file: string): Promise<void> {
    let data = this.cache.get(file);
    if (!data) {
      const full = file.startsWith('app/') ? path.join(SCRIPTS_DIR, file.slice(4))
        : file.startsWith('text/') ? path.join(SHARED_DIR, file.slice(5)) : path.join(STATIC_DIR, file);
      data = await fs.readFile(full).catch(() => undefined);
      if (!data) return sendLine(res, 404, 'not found');
      this.cache.set(file, data);
    }
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'Content-Length': data.length, 'Cache-Control': 'no-cache' });
    res.end(data);
  }
}
