// A small folder as a poller sees it: one stat per look, a listing only when the folder's times changed.
// A change within the clock tick of our last listing leaves those times as they were, so a new stamp is
// trusted only once a second listing, a look later, saw it too; and a filer's attribute cache may lag, so
// the folder is listed again every `fullListMs` whatever the stat says.
import fsSync from 'node:fs';

export class FolderView {
  private names: string[] | undefined;
  private stamp: string | undefined;
  private confirmed = false;
  private listedAtMs = -Infinity;

  constructor(private readonly dir: string, private readonly fullListMs = 30_000) {}

  /** The folder's entries (none when it is missing), listed again only when it changed or the last listing is old. */
  view(nowMs: number): string[] {
    const stamp = folderStamp(this.dir);
    const same = stamp === this.stamp;
    if (same && this.confirmed && this.names && nowMs - this.listedAtMs < this.fullListMs) return this.names;
    // a listing under an unchanged stamp confirms it: nothing can hide in its clock tick any more
    this.confirmed = same && this.names !== undefined;
    this.stamp = stamp;
    this.names = stamp === 'missing' ? [] : listSync(this.dir);
    this.listedAtMs = nowMs;
    return this.names;
  }
}

/** The folder's identity and change times: any entry created, renamed or removed changes them. */
export function folderStamp(dir: string): string {
  try {
    const st = fsSync.statSync(dir, { bigint: true });
    return `${st.ino}:${st.mtimeNs}:${st.ctimeNs}`;
  } catch {
    return 'missing';
  }
}

function listSync(dir: string): string[] {
  try {
    return fsSync.readdirSync(dir);
  } catch {
    return [];
  }
}
