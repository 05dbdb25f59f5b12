// Who may use the spool: its folders writable by the farm's users, farm.key readable by them and by
// nobody else, and this user's socket folder private. Verdicts from stat data, so they hold for root too.
import { fail, modeText, ok, warn, type Check } from './check.js';

export interface Owned { path: string; uid: number; gid: number; mode: number }

export interface Who { uid: number; gids: readonly number[]; name: string }

/** The bits of `mode` that apply to `who` (root is judged like the owner: the farm should not need root). */
function bitsFor(item: Owned, who: Who): number {
  if (who.uid === item.uid || who.uid === 0) return (item.mode >> 6) & 7;
  if (who.gids.includes(item.gid)) return (item.mode >> 3) & 7;
  return item.mode & 7;
}

/** The spool root and its top folders: each must be rwx for this user, and for the group too when the farm is shared by one. */
export function spoolPermissionsVerdict(root: Owned, folders: readonly Owned[], who: Who): Check {
  const id = 'spool.permissions';
  const shared = (root.mode & 0o070) === 0o070;
  const bad: string[] = [];
  for (const item of [root, ...folders]) {
    if ((bitsFor(item, who) & 7) !== 7) bad.push(`${item.path} (mode ${modeText(item.mode)}, uid ${item.uid}) is not writable by ${who.name}`);
    else if (shared && (item.mode & 0o070) !== 0o070) bad.push(`${item.path} (mode ${modeText(item.mode)}) is not writable by the farm's group ${root.gid}`);
  }
  const found = `${root.path}: mode ${modeText(root.mode)}, uid ${root.uid}, gid ${root.gid}${shared ? ' (shared by its group)' : ''}`;
  if (bad.length === 0) return ok(id, found);
  return fail(id, `${found}; ${bad.join('; ')}`,
    `let every user that runs renderd or render write the whole spool: chown -R USER ${root.path}, or for a farm group chgrp -R GROUP ${root.path} && chmod -R g+rwX ${root.path} && find ${root.path} -type d -exec chmod g+s {} +`);
}

export function farmKeyVerdict(key: Owned | undefined, root: Owned, who: Who, keyError: string | undefined): Check {
  const id = 'farm.key';
  if (!key) return fail(id, `no farm.key in ${root.path}`, 'start one renderd (or render add) on the spool to create it, then restart the nodes');
  const found = `${key.path}: mode ${modeText(key.mode)}, uid ${key.uid}, gid ${key.gid}`;
  if (key.mode & 0o022) return fail(id, found, `anyone who can write it can lock the farm out: chmod 600 ${key.path} (640 and chgrp for a farm group)`);
  if (key.mode & 0o004) return fail(id, found, `every user can read it and command every node; nodes refuse to start: chmod 600 ${key.path} (640 and chgrp for a farm group)`);
  if (!(bitsFor(key, who) & 4)) return fail(id, `${found}; ${who.name} cannot read it`, `nodes and tools of ${who.name} cannot sign messages: chgrp to the farm's group and chmod 640 ${key.path}`);
  if (keyError) return fail(id, `${found}; ${keyError}`, `replace it: stop every node, remove ${key.path}, start one node (it makes a new key), then the rest`);
  const shared = (root.mode & 0o070) === 0o070;
  if (shared && (key.gid !== root.gid || !(key.mode & 0o040))) {
    return warn(id, `${found}; the spool is shared by group ${root.gid} but the key is not readable by it`,
      `other users of the farm cannot talk to nodes: chgrp ${root.gid} ${key.path} && chmod 640 ${key.path}`);
  }
  return ok(id, found);
}

export function socketDirVerdict(dir: Owned | undefined, dirPath: string, who: Who): Check {
  const id = 'machine.socket-dir';
  if (!dir) return ok(id, `${dirPath}: not made yet (the first node on this machine makes it, mode 0700)`);
  const found = `${dir.path}: mode ${modeText(dir.mode)}, uid ${dir.uid}`;
  if (dir.uid !== who.uid) {
    return fail(id, `${found}; owned by another user than ${who.name}`,
      `nodes of ${who.name} cannot make their sockets there: remove ${dir.path} (stop that user's nodes first) or set XDG_RUNTIME_DIR`);
  }
  if (dir.mode & 0o077) return warn(id, found, `only ${who.name} should reach the sockets: chmod 700 ${dir.path}`);
  return ok(id, found);
}

/** The User= of an installed renderd unit: that user must also reach the spool and read farm.key. */
export function unitUser(unitText: string): string | undefined {
  return /^User=(\S+)\s*$/m.exec(unitText)?.[1]?.replace(/^"|"$/g, '');
}
