// `render doctor` and an sshfs mount of the spool with its attribute and listing cache on: seen from
// the mount, the filesystem is named and warned about; seen from the spool's own disk, a node working
// through the mount sees new files late, as measured through that node.
import fs from 'node:fs/promises';
import { test as uvuTest } from 'uvu';
import * as assert from 'uvu/assert';
import { Fleet, waitUntil, withTempSpool, withTimeout } from '../support/index.js';
import { check, doctor } from './run-doctor.js';
import { canMountSshfs, mountSshfs, SSHFS_CACHE_S } from './sshfs.js';
import { gate } from '../support/requires.js';

const test = gate(uvuTest, 'sshfs over an sshd on loopback', canMountSshfs() ? null : 'needs /dev/fuse, sshfs and openssh-server (.ci/run installs them)');

const TEST_TIMEOUT_MS = 180_000;

test('sshfs with its cache on: the mount is named fuse.sshfs, and a node on it sees new files seconds late', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'doctor over sshfs', () => withTempSpool(async (tmp) => {
    await fs.mkdir(tmp.spool);
    const mount = await mountSshfs(tmp.dir, tmp.path('..', `${tmp.dir.split('/').pop()}-mnt`), tmp.path('ssh'));
    const remoteSpool = `${mount.mountPoint}/spool`;
    const fleet = new Fleet(remoteSpool);
    try {
      fleet.start('remote', { extraArgs: ['--listen', '127.0.0.1:0', '--advertise', '127.0.0.1'] });
      await waitUntil('the node on the mount to be up', () => /node \S+ up/.test(fleet.nodes[0].stderr), 30_000);

      const fromMount = await doctor(remoteSpool);
      const fsCheck = check(fromMount.json, 'spool.filesystem');
      assert.is(fsCheck.status, 'warn');
      assert.match(fsCheck.found, /^fuse\.sshfs root@127\.0\.0\.1:/);
      assert.match(fsCheck.advice, 'cache=no');
      assert.is(check(fromMount.json, 'spool.atomic').status, 'ok', 'OpenSSH offers posix-rename: rename replaces');

      const fromDisk = await doctor(tmp.spool);
      const listing = check(fromDisk.json, 'spool.listing');
      assert.is(listing.status, 'warn', listing.found);
      const seconds = Number(/remote (\d+\.\d) s/.exec(listing.found)?.[1]);
      assert.ok(seconds >= SSHFS_CACHE_S / 2 && seconds <= SSHFS_CACHE_S + 10, listing.found);
      assert.match(listing.advice, 'sshfs: -o cache=no');
      assert.is(check(fromDisk.json, 'spool.filesystem').status, 'ok');
      assert.is(fromDisk.code, 1);
    } finally {
      await fleet.stopAll();
      await mount.close();
      await fs.rmdir(mount.mountPoint).catch(() => {});
    }
  }));
});

test.run();
