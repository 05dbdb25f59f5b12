// Idle nodes die too (issue 24): a node that holds nothing has no holding mark, so the holders' watchers
// never read its heartbeat, and the full reading of every record (once a minute or more) saw each beat of
// it as a first sighting. Each node now keeps an eye on the idle nodes it is a watcher of (the same
// rendezvous choice as for holders, so three per node): one stat of the record per sweep. A record whose
// stamp has not changed for NODE_SUSPECT_MS is read and judged by the holders' rule from then on, so an
// idle node that died is unregistered within the window and a few sweeps, at 1.5 stats a second per node.
import fs from 'node:fs';
import path from 'node:path';
import { ChangeWatch } from './change-watch.js';
import { NODE_SUSPECT_MS } from './budget.js';

export class IdleNodeWatch {
  private readonly stamps = new ChangeWatch<string>(NODE_SUSPECT_MS);

  constructor(private readonly nodesDir: string) {}

  /** Of `nodes`, those whose record has stayed the same for NODE_SUSPECT_MS: read and judge them now. */
  quiet(nodes: readonly string[], nowMs: number): string[] {
    const quiet: string[] = [];
    const looked = new Set<string>();
    for (const node of nodes) {
      const stamp = recordStamp(path.join(this.nodesDir, `${node}.json`));
      // gone (unregistered) needs no verdict; an error says nothing about the node (a filer blip)
      if (stamp === 'missing' || stamp === 'unknown') continue;
      looked.add(node);
      if (this.stamps.isUnchangedFor(node, stamp, nowMs)) quiet.push(node);
    }
    this.stamps.retain(looked);
    return quiet;
  }
}

/** What changes at every rewrite of a record (a new file renamed over it): its inode, times and size. */
function recordStamp(file: string): string {
  try {
    const st = fs.statSync(file, { bigint: true });
    return `${st.ino}:${st.mtimeNs}:${st.ctimeNs}:${st.size}`;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unknown';
  }
}
