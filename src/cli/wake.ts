// Telling nodes there is new work. Local nodes see active/ change through inotify; remote nodes
// are woken over their sockets once peers land (until then they find it on their next poll).
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FarmContext } from '../claim/context.js';

export async function wakePeers(ctx: FarmContext): Promise<void> {
  // a change in active/ is what local watchers react to, even when no entry was added (retry, resume)
  await fs.writeFile(path.join(ctx.layout.active, '.wake'), String(Date.now()));
}
