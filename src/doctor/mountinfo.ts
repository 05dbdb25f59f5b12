// Which filesystem the spool is on, from /proc/self/mountinfo: parsing and the verdict are pure.
import { ok, fail, warn, type Check } from './check.js';

export interface MountEntry {
  mountPoint: string;
  fsType: string;
  source: string;
  /** Per-mount and superblock options together, e.g. { vers: '4.2', actimeo: '60', nolock: '' }. */
  options: Record<string, string>;
}

/** mountinfo escapes space, tab, newline and backslash as \ooo. */
function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

function parseOptions(text: string, into: Record<string, string>): void {
  for (const option of text.split(',')) {
    if (!option) continue;
    const eq = option.indexOf('=');
    if (eq < 0) into[option] = '';
    else into[option.slice(0, eq)] = option.slice(eq + 1);
  }
}

export function parseMountInfo(text: string): MountEntry[] {
  const mounts: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(' ');
    const dash = fields.indexOf('-');
    if (dash < 6 || fields.length < dash + 3) continue;
    const options: Record<string, string> = {};
    parseOptions(fields[5], options);
    parseOptions(fields[dash + 3] ?? '', options);
    mounts.push({ mountPoint: unescape(fields[4]), fsType: fields[dash + 1], source: unescape(fields[dash + 2]), options });
  }
  return mounts;
}

/** The mount `realPath` lives on: the last-mounted of the longest matching mount points. */
export function mountOf(mounts: readonly MountEntry[], realPath: string): MountEntry | undefined {
  let best: MountEntry | undefined;
  for (const mount of mounts) {
    const inside = mount.mountPoint === '/' || realPath === mount.mountPoint || realPath.startsWith(`${mount.mountPoint}/`);
    if (inside && (!best || mount.mountPoint.length >= best.mountPoint.length)) best = mount;
  }
  return best;
}

const CLOUD_SYNC = /\/(Dropbox|OneDrive[^/]*|Google ?Drive|My Drive|iCloud ?Drive|Mobile Documents|CloudStorage|pCloud ?Drive|Nextcloud|ownCloud|MEGA|Box Sync|Box)(\/|$)/i;
const LOCAL_TYPES = new Set(['ext2', 'ext3', 'ext4', 'xfs', 'btrfs', 'zfs', 'tmpfs', 'f2fs', 'jfs', 'reiserfs', 'bcachefs', 'overlay']);
/**
 * FUSE filesystems the fault matrix runs on (test/faults: SIGKILL, stalls, a filer that drops out or hangs,
 * one name twice) with every cell safe: doctor says so by name rather than warning of FUSE in general.
 */
const MEASURED_FUSE: Record<string, string> = {
  'fuse.glusterfs': 'GlusterFS, one brick or distributed',
  // mfsmount says `fuse` with the source `mfs#MASTER:PORT`; some builds say `fuse.mfs`
  'fuse.mfs': 'MooseFS',
};
/** Beyond this a node may see other nodes' changes late enough to matter (claims stay safe: they are renames). */
const MAX_ATTR_CACHE_S = 3;

export function filesystemVerdict(spool: string, mount: MountEntry | undefined): Check {
  const id = 'spool.filesystem';
  const cloud = CLOUD_SYNC.exec(spool);
  if (cloud) {
    return fail(id, `${spool} is in a cloud-sync folder (${cloud[1]})`,
      'sync clients copy files late and turn renames into copies and conflict files, so claims and states break: put the spool on NFS (or a local folder for one machine) and keep only the outputs in the synced folder');
  }
  if (!mount) return warn(id, `${spool}: no mount found in /proc/self/mountinfo`, 'check that the spool is on the filesystem you expect');
  const where = `${mount.fsType} ${mount.source} on ${mount.mountPoint}`;
  if (mount.fsType === 'nfs' || mount.fsType === 'nfs4') return nfsVerdict(id, where, mount.options);
  if (mount.fsType === 'fuse.sshfs') {
    const cached = mount.options.cache !== 'no';
    return warn(id, `${where} (sshfs${cached ? ', attribute and listing cache on' : ''})`,
      'the farm stays safe on it (fault matrix, docs/guarantees.md: claims are renames), but sshfs caches attributes and listings (default 20 s), so other hosts see new work and ends late; mount with -o cache=no,attr_timeout=0,entry_timeout=0 for a test, and use NFS for a farm');
  }
  const measured = MEASURED_FUSE[mount.fsType] ?? (mount.fsType === 'fuse' && mount.source.startsWith('mfs#') ? MEASURED_FUSE['fuse.mfs'] : undefined);
  if (measured) return ok(id, `${where} (${measured}: the farm is safe on it, as measured by its fault matrix — docs/guarantees.md)`);
  if (mount.fsType.startsWith('fuse.') || mount.fsType === 'fuse') {
    return warn(id, `${where} (a FUSE filesystem)`, 'FUSE filesystems often cache listings and lack atomic rename: prefer NFS for the spool; doctor\'s checks below say what this one does');
  }
  if (mount.fsType === 'cifs' || mount.fsType === 'smb3') {
    return warn(id, `${where} (SMB)`, 'SMB caches directory listings (actimeo, default 1 s) and may keep mtimes to 100 ns or 2 s: prefer NFS; mount with actimeo=1 and nobrl if you keep it');
  }
  if (LOCAL_TYPES.has(mount.fsType)) return ok(id, `${where} (local: nodes on this machine share it; other hosts need it exported, e.g. over NFS)`);
  return warn(id, `${where}`, `renderd has not been checked on ${mount.fsType}: the checks below say whether rename and mkdir behave`);
}

function nfsVerdict(id: string, where: string, o: Record<string, string>): Check {
  const version = o.vers ?? o.nfsvers ?? (where.startsWith('nfs4') ? '4' : '3');
  const shown = ['vers', 'actimeo', 'acdirmax', 'acregmax', 'lookupcache', 'nolock', 'local_lock', 'noac', 'sync']
    .filter((k) => k in o).map((k) => (o[k] === '' ? k : `${k}=${o[k]}`)).join(',');
  const found = `${where} (NFS ${version}${shown ? `: ${shown}` : ''})`;
  const problems: string[] = [];
  const advice: string[] = [];
  if (Number(version) < 3) {
    return { id, status: 'fail', found, advice: 'NFS 2 has no exclusive create and 2 s times: mount with vers=4.2 (or at least vers=3)' };
  }
  const dirCache = Number(o.actimeo ?? o.acdirmax ?? (('noac' in o) ? 0 : 60));
  if (dirCache > MAX_ATTR_CACHE_S) {
    problems.push(`listings cached up to ${dirCache} s`);
    advice.push(`mount with actimeo=1 (or acdirmax=1): with ${dirCache} s, new jobs and chunk moves of other nodes show up late`);
  }
  if ((o.lookupcache ?? 'all') === 'all') {
    problems.push('negative lookups cached (lookupcache=all)');
    advice.push('mount with lookupcache=positive: a file another node just made can otherwise look missing');
  }
  if ('nolock' in o || o.local_lock === 'all' || o.local_lock === 'posix') {
    problems.push('locks local to this host (nolock)');
    advice.push('remove nolock: renderd locks by mkdir and is safe, but hooks and tools using flock or fcntl would lock only this host');
  }
  if (problems.length === 0) return ok(id, found);
  return { id, status: 'warn', found: `${found}; ${problems.join('; ')}`, advice: advice.join('; ') };
}
