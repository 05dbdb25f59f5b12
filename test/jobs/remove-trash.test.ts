// `render remove` moves the job's folder into trash/ (the job is gone from that instant), then empties it. On a
// loaded farm the emptying can fail (a node's rename already under way lands in the moved folder: ENOTEMPTY);
// here a file the remover cannot delete stands in for it (chattr +i). The removal is still done: exit 0, the
// job gone, its folder left in trash/ for the debris sweep, which takes it once it can.
import fs from 'node:fs';
import path from 'node:path';
import { test as uvuTest } from 'uvu';
import * as assert from 'uvu/assert';
import { runRender, submitExec, withTempSpool } from '../support/index.js';
import { chattr, chattrMissing } from '../support/chattr.js';
import { gate } from '../support/requires.js';
import { sweepDebris } from '../../src/spool/debris.js';
import { openSpool } from '../../src/spool/open.js';

const test = gate(uvuTest, 'chattr +i', chattrMissing());

test('a removed job whose folder cannot be emptied: removed all the same, the rest left to the debris sweep', async () => {
  await withTempSpool(async (tmp) => {
    const job = await submitExec(tmp.spool, ['--frames', '1-3', '--name', 'stubborn'], ['true']);
    const pinned = path.join(tmp.spool, 'jobs', job, 'logs');
    fs.mkdirSync(pinned, { recursive: true });
    fs.writeFileSync(path.join(pinned, 'held.log'), 'x');
    chattr('+i', pinned);
    let trashed: string | undefined;
    try {
      const removed = await runRender(['--spool', tmp.spool, 'remove', job]);
      assert.is(removed.code, 0, removed.stderr);
      assert.not.match(removed.stderr, /EPERM|Error/);
      assert.not.ok(fs.existsSync(path.join(tmp.spool, 'jobs', job)));
      const listed = await runRender(['--spool', tmp.spool, 'list', '--json']);
      assert.equal(JSON.parse(listed.stdout), []);
      const left = fs.readdirSync(path.join(tmp.spool, 'trash'));
      assert.is(left.length, 1);
      assert.ok(left[0].startsWith(`${job}.`));
      trashed = path.join(tmp.spool, 'trash', left[0], 'logs');
    } finally {
      chattr('-i', trashed ?? pinned);
    }
    const layout = await openSpool(tmp.spool);
    const lines: string[] = [];
    await sweepDebris(layout, Date.now() + 2 * 3_600_000, (line) => lines.push(line));
    assert.equal(fs.readdirSync(path.join(tmp.spool, 'trash')), [], lines.join('\n'));
  });
});

test.run();
