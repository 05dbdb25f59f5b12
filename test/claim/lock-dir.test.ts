// Locks carry their owner's token (issue 15, item 5). ext4 hands the inode of a removed directory out
// again at once, so a lock broken and taken again often has the very inode of the one it replaced: only
// the token tells them apart. A breaker breaks only the lock it judged, never one taken again meanwhile.
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { systemClock } from '../../src/liveness/clock.js';
import { LockManager } from '../../src/claim/mutex.js';
import { breakLockDir, lockTokens } from '../../src/claim/lock-dir.js';
import { withTempSpool } from '../support/index.js';

const quiet = () => undefined;

test('a lock broken and taken again (same path, often the same inode) is not the old holder\'s: no commit, and its release leaves it', async () => {
  await withTempSpool(async (tmp) => {
    fs.mkdirSync(tmp.dir, { recursive: true });
    const lockPath = path.join(tmp.dir, 'lock');
    const dead = new LockManager(systemClock, quiet, 'dead-instance');
    const reaper = new LockManager(systemClock, quiet, 'reaper-instance');
    let sameInode = 0;
    for (let round = 0; round < 50; round++) {
      const old = await dead.tryLock(lockPath);
      assert.ok(old.ok);
      const inode = fs.statSync(lockPath).ino;
      assert.ok(reaper.breakHeld(lockPath, 'judged dead', 'dead-instance'));
      const fresh = await reaper.tryLock(lockPath);
      assert.ok(fresh.ok);
      if (fs.statSync(lockPath).ino === inode) sameInode++;
      assert.is(await old.lock.stillHeld(), false, `round ${round}: the old holder's lock is gone, whatever the inode`);
      await old.lock.release();
      assert.ok(fs.existsSync(lockPath), 'the old holder\'s release left the new lock alone');
      assert.is(await fresh.lock.stillHeld(), true);
      await fresh.lock.release();
      assert.not.ok(fs.existsSync(lockPath));
    }
    console.log(`    lock-dir: ${sameInode} of 50 re-taken locks had the inode of the broken one`);
  });
});

test('a breaker breaks only the lock of the owner it judged dead', async () => {
  await withTempSpool(async (tmp) => {
    fs.mkdirSync(tmp.dir, { recursive: true });
    const lockPath = path.join(tmp.dir, 'lock');
    const live = new LockManager(systemClock, quiet, 'live-instance');
    const held = await live.tryLock(lockPath);
    assert.ok(held.ok);
    const other = new LockManager(systemClock, quiet, 'other');
    assert.is(other.breakHeld(lockPath, 'judged dead', 'dead-instance'), false, 'refused: the lock is not the dead one\'s');
    assert.is(await held.lock.stillHeld(), true);
    // tokens that are not the judged ones: refused before anything is touched
    assert.is(breakLockDir(lockPath, (tokens) => tokens.length === 0), 'refused');
    assert.equal(lockTokens(lockPath)?.length, 1);
    // judged: moved aside and removed; its holder finds out before any commit, and its release is harmless
    assert.is(breakLockDir(lockPath, () => true), 'broken');
    assert.equal(lockTokens(lockPath), null);
    assert.is(await held.lock.stillHeld(), false);
    await held.lock.release();
    assert.is(breakLockDir(lockPath, () => true), 'gone');
  });
});

test('a node\'s locks are links to its lease: one refresh of the lease keeps them all alive, and a silent lease lets them go stale', async () => {
  await withTempSpool(async (tmp) => {
    fs.mkdirSync(tmp.dir, { recursive: true });
    let nowMs = 0;
    const clock = { ...systemClock, monotonicMs: () => nowMs };
    const holder = new LockManager(systemClock, quiet, 'holder-instance');
    const lease = path.join(tmp.dir, 'leases', 'holder-instance');
    holder.useLease(lease);
    const locks = await Promise.all(['a', 'b', 'c'].map((name) => holder.tryLock(path.join(tmp.dir, name))));
    assert.ok(locks.every((l) => l.ok));
    assert.is(fs.statSync(lease).nlink, 4, 'three tokens linked to the lease');
    const other = new LockManager(clock, quiet, 'other-instance');
    const lockA = path.join(tmp.dir, 'a');
    assert.is((await other.tryLock(lockA)).ok, false, 'first sighting: held');
    nowMs += 11_000;
    const later = new Date(Date.now() + 5000);
    fs.utimesSync(lease, later, later);
    assert.is((await other.tryLock(lockA)).ok, false, 'the lease moved: alive, though the lock itself never did');
    nowMs += 11_000;
    const taken = await other.tryLock(lockA);
    assert.ok(taken.ok, 'the lease still for the whole window: stale, broken and taken');
    for (const l of locks) if (l.ok) await l.lock.release();
    holder.dropLease();
    assert.not.ok(fs.existsSync(lease));
  });
});

test.run();
