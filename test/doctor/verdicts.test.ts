// The doctor's verdicts, pure: from what was found to ok / warn / fail and the advice.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { exitCodeOf, overallStatus, ok, warn, fail } from '../../src/doctor/check.js';
import { filesystemVerdict, mountOf, parseMountInfo } from '../../src/doctor/mountinfo.js';
import { farmKeyVerdict, socketDirVerdict, spoolPermissionsVerdict, unitUser } from '../../src/doctor/permissions.js';
import { REFERENCE_UNIT, renderUnit } from '../../src/service/unit.js';
import { semanticsVerdicts } from '../../src/doctor/semantics.js';
import { blenderSpreadVerdict, nodeVerdicts } from '../../src/doctor/node-verdicts.js';
import { stalenessVerdict } from '../../src/doctor/staleness.js';
import { farmVerdicts } from '../../src/doctor/farm-verdicts.js';

const MOUNTINFO = [
  '22 1 252:0 / / rw,relatime shared:1 - ext4 /dev/vda rw',
  '40 22 0:35 / /srv/render rw,relatime shared:20 - nfs4 fs1:/export/render rw,vers=4.2,rsize=1048576,acregmin=3,acregmax=60,acdirmin=30,acdirmax=60,hard,proto=tcp,sec=sys,local_lock=none',
  '41 22 0:36 / /mnt/old rw,relatime - nfs fs2:/old rw,vers=3,actimeo=1,lookupcache=positive,nolock',
  '42 22 0:37 / /mnt/ssh\\040spool rw,nosuid,nodev,relatime - fuse.sshfs me@host:/spool rw,user_id=0,group_id=0',
  '43 22 0:38 / /mnt/good rw - nfs4 fs1:/good rw,vers=4.1,actimeo=1,lookupcache=positive',
].join('\n');

test('mountinfo: parsed, escapes undone, the deepest mount wins', () => {
  const mounts = parseMountInfo(MOUNTINFO);
  assert.is(mounts.length, 5);
  assert.is(mountOf(mounts, '/srv/render/spool')?.fsType, 'nfs4');
  assert.is(mountOf(mounts, '/srv/renderx')?.fsType, 'ext4');
  assert.is(mountOf(mounts, '/mnt/ssh spool/s')?.fsType, 'fuse.sshfs');
  assert.is(mountOf(mounts, '/srv/render/spool')?.options.acdirmax, '60');
});

test('NFS: a 60 s directory cache and lookupcache=all are warned about, with the mount options to use', () => {
  const mounts = parseMountInfo(MOUNTINFO);
  const check = filesystemVerdict('/srv/render/spool', mountOf(mounts, '/srv/render/spool'));
  assert.is(check.status, 'warn');
  assert.match(check.found, 'NFS 4.2');
  assert.match(check.found, 'listings cached up to 60 s');
  assert.match(check.advice, 'actimeo=1');
  assert.match(check.advice, 'lookupcache=positive');
  const old = filesystemVerdict('/mnt/old/s', mountOf(mounts, '/mnt/old/s'));
  assert.is(old.status, 'warn');
  assert.match(old.found, 'nolock');
  assert.match(old.advice, 'remove nolock');
  assert.not.match(old.advice, 'actimeo');
  assert.is(filesystemVerdict('/mnt/good/s', mountOf(mounts, '/mnt/good/s')).status, 'ok');
});

test('sshfs is warned about; a cloud-sync folder fails; a local disk is fine', () => {
  const mounts = parseMountInfo(MOUNTINFO);
  const ssh = filesystemVerdict('/mnt/ssh spool/s', mountOf(mounts, '/mnt/ssh spool/s'));
  assert.is(ssh.status, 'warn');
  assert.match(ssh.found, 'sshfs, attribute and listing cache on');
  for (const spool of ['/home/ana/Dropbox/farm/spool', '/Users/ana/Library/CloudStorage/OneDrive-Studio/spool', '/home/ana/Google Drive/spool']) {
    const cloud = filesystemVerdict(spool, mountOf(mounts, spool));
    assert.is(cloud.status, 'fail', spool);
    assert.match(cloud.advice, 'put the spool on NFS');
  }
  assert.is(filesystemVerdict('/var/spool', mountOf(mounts, '/var/spool')).status, 'ok');
});

test('GlusterFS and MooseFS are named, and safe as the fault matrix measured; another FUSE filesystem is warned about', () => {
  const mounts = parseMountInfo([
    '50 22 0:40 / /mnt/gv rw,relatime - fuse.glusterfs fs1:/farm rw,user_id=0,group_id=0,default_permissions,allow_other',
    '51 22 0:41 / /mnt/mfs rw,relatime - fuse.mfs mfsmaster:9421 rw,user_id=0,group_id=0,allow_other',
    '52 22 0:42 / /mnt/odd rw,relatime - fuse.s3fs s3fs rw',
    '53 22 0:43 / /mnt/mfs3 rw,nosuid,nodev,relatime - fuse mfs\\04310.77.0.2:9421 rw,user_id=0,group_id=0,allow_other',
  ].join('\n'));
  const gluster = filesystemVerdict('/mnt/gv/spool', mountOf(mounts, '/mnt/gv/spool'));
  assert.equal([gluster.status, /GlusterFS/.test(gluster.found), /safe/.test(gluster.found)], ['ok', true, true]);
  const moose = filesystemVerdict('/mnt/mfs/spool', mountOf(mounts, '/mnt/mfs/spool'));
  assert.equal([moose.status, /MooseFS/.test(moose.found)], ['ok', true]);
  assert.is(filesystemVerdict('/mnt/odd/spool', mountOf(mounts, '/mnt/odd/spool')).status, 'warn');
  assert.match(filesystemVerdict('/mnt/mfs3/spool', mountOf(mounts, '/mnt/mfs3/spool')).found, 'MooseFS');
});

test('atomicity and mtime precision', () => {
  assert.equal(semanticsVerdicts({ mkdirExclusive: true, renameReplaces: true, mtimeStepNs: 1 }).map((c) => c.status), ['ok', 'ok']);
  const [atomic, mtime] = semanticsVerdicts({ mkdirExclusive: true, renameReplaces: false, mtimeStepNs: 1e9 });
  assert.is(atomic.status, 'fail');
  assert.match(atomic.found, 'rename did not replace');
  assert.is(mtime.status, 'warn');
  assert.match(mtime.found, 'whole seconds');
  assert.is(semanticsVerdicts({ writeError: 'EACCES', mkdirExclusive: false, renameReplaces: false, mtimeStepNs: 0 })[0].status, 'fail');
});

const me = { uid: 1000, gids: [1000, 500], name: 'ana' };

test('permissions: a folder its users cannot write fails; farm.key readable by all fails; shared spool, private key warns', () => {
  const root = { path: '/s', uid: 1000, gid: 500, mode: 0o40775 };
  assert.is(spoolPermissionsVerdict(root, [{ path: '/s/jobs', uid: 1000, gid: 500, mode: 0o40775 }], me).status, 'ok');
  const bad = spoolPermissionsVerdict(root, [{ path: '/s/jobs', uid: 1000, gid: 500, mode: 0o40555 }], me);
  assert.is(bad.status, 'fail');
  assert.match(bad.found, '/s/jobs (mode 0555, uid 1000) is not writable by ana');
  assert.match(bad.advice, 'chmod -R g+rwX /s');
  const notGroup = spoolPermissionsVerdict(root, [{ path: '/s/nodes', uid: 1000, gid: 500, mode: 0o40755 }], me);
  assert.match(notGroup.found, "not writable by the farm's group 500");
  const key = (mode: number, gid = 500) => ({ path: '/s/farm.key', uid: 1000, gid, mode: 0o100000 | mode });
  assert.is(farmKeyVerdict(key(0o640), root, me, undefined).status, 'ok');
  assert.is(farmKeyVerdict(key(0o644), root, me, undefined).status, 'fail');
  const privateKey = farmKeyVerdict(key(0o600), root, me, undefined);
  assert.is(privateKey.status, 'warn');
  assert.match(privateKey.advice, 'chmod 640');
  const other = { uid: 1001, gids: [1001], name: 'bo' };
  assert.match(farmKeyVerdict(key(0o640), root, other, undefined).found, 'bo cannot read it');
  assert.is(farmKeyVerdict(undefined, root, me, undefined).status, 'fail');
  // the service's user, read from the unit render service wrote
  assert.is(unitUser(renderUnit({ ...REFERENCE_UNIT, user: 'farm' })), 'farm');
  const service = { uid: 998, gids: [997], name: 'renderd' };
  assert.match(farmKeyVerdict(key(0o600), root, service, undefined).found, 'renderd cannot read it');
  assert.is(socketDirVerdict({ path: '/run/user/1000/renderd', uid: 1000, gid: 1000, mode: 0o40700 }, '/x', me).status, 'ok');
  assert.is(socketDirVerdict({ path: '/tmp/renderd-1000/renderd', uid: 0, gid: 0, mode: 0o40700 }, '/x', me).status, 'fail');
  assert.is(socketDirVerdict({ path: '/tmp/renderd-1000/renderd', uid: 1000, gid: 0, mode: 0o40777 }, '/x', me).status, 'warn');
});

test('nodes: a clock 10 minutes off warns, past 12 fails; a refusing address warns; a silent node warns', () => {
  const base = { name: 'n1', beating: true, quietText: '', answered: true, advertised: '10.0.0.5:7070', advertisedAnswers: true, rttMs: 4, blender: 'Blender 3.4.1' };
  assert.equal(nodeVerdicts({ ...base, skewMs: 300 }).map((c) => c.status), ['ok', 'ok', 'ok', 'ok']);
  assert.match(nodeVerdicts({ ...base, skewMs: -20 })[1].found, /^wall clock \+0\.0 s from ours/);
  const skewed = nodeVerdicts({ ...base, skewMs: 600_400 }).find((c) => c.id === 'node.n1.clock')!;
  assert.is(skewed.status, 'warn');
  assert.match(skewed.found, '+600.4 s');
  assert.match(skewed.advice, 'NTP');
  assert.is(nodeVerdicts({ ...base, skewMs: -13 * 60_000 }).find((c) => c.id === 'node.n1.clock')!.status, 'fail');
  const refused = nodeVerdicts({ ...base, advertisedAnswers: false, advertisedFailure: 'refused' }).find((c) => c.id === 'node.n1.address')!;
  assert.is(refused.status, 'warn');
  assert.match(refused.advice, '--advertise');
  const gone = nodeVerdicts({ ...base, beating: false, answered: false, failure: 'refused' });
  assert.equal(gone.map((c) => [c.id, c.status]), [['node.n1.heartbeat', 'warn']]);
  assert.match(gone[0].advice, 'nodes/n1.json');
  assert.is(blenderSpreadVerdict([{ ...base }, { ...base, name: 'n2', blender: 'Blender 4.2.0' }])?.status, 'warn');
  assert.is(blenderSpreadVerdict([{ ...base }, { ...base, name: 'n2' }]), undefined);
});

test('listing staleness: seen at once is fine, late or never warns', () => {
  assert.is(stalenessVerdict(new Map([['a', 40]])).status, 'ok');
  const late = stalenessVerdict(new Map([['a', 40], ['b', 12_000], ['c', undefined]]));
  assert.is(late.status, 'warn');
  assert.match(late.found, 'b 12.0 s, c over 30 s');
});

test('farm: an unreadable job.json and a job nodes report broken, each with what to do; what finished jobs hold', () => {
  const counts = { queued: 0, running: 0, done: 2, failed: 0, total: 2 };
  const checks = farmVerdicts({
    jobs: [
      { id: 'j-bad', error: 'jobs/j-bad/job.json: not JSON', bytes: 4096 },
      { id: 'j-closed', state: 'queued', brokenOn: ['node n2: permission denied'], bytes: 4096 },
      { id: 'j-done', state: 'done', counts, bytes: 3 * 1024 ** 2 },
    ],
    quarantined: [], stuck: [{ job: 'j-x', chunk: '0001', node: 'gone' }], totalBytes: 10 * 1024 ** 2,
  }, []);
  const broken = checks.find((c) => c.id === 'farm.broken')!;
  assert.is(broken.status, 'warn');
  assert.match(broken.found, 'job j-bad: jobs/j-bad/job.json: not JSON; job j-closed broken on node n2: permission denied');
  assert.match(broken.advice, 'render remove j-bad');
  assert.match(broken.advice, 'read access to jobs/j-closed');
  const stuck = checks.find((c) => c.id === 'farm.stuck')!;
  assert.is(stuck.status, 'warn');
  assert.match(stuck.advice, 'no live node');
  assert.match(checks.find((c) => c.id === 'spool.size')!.found, '1 finished job(s) hold 3.0 MiB, which render clean would free');
});

test('overall status and exit codes: 0 ok, 1 warnings, 2 cannot work', () => {
  assert.is(exitCodeOf(overallStatus([ok('a', '')])), 0);
  assert.is(exitCodeOf(overallStatus([ok('a', ''), warn('b', '', '')])), 1);
  assert.is(exitCodeOf(overallStatus([fail('c', '', ''), warn('b', '', '')])), 2);
});

test.run();
