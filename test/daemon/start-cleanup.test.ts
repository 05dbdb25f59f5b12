// A node that fails on its way up, after its name claim and lock lease exist (here: a --listen address
// already in use, found only when its server starts), leaves nothing of itself on the spool: no lease
// under nodes/.leases/, no name claim, no record. Its name is free for the next start at once.
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Fleet, withTempSpool, withTimeout } from '../support/index.js';

/** A TCP port on 127.0.0.1 held by this test, so renderd's --listen there fails. */
async function occupiedPort(): Promise<net.Server> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

const entries = async (dir: string) => (await fs.readdir(dir).catch(() => [] as string[])).sort();

test('renderd refused late on its way up (--listen address in use) leaves no lease, name claim or record behind', async () => {
  await withTimeout(30_000, 'start cleanup', () => withTempSpool(async (tmp) => {
    const server = await occupiedPort();
    const fleet = new Fleet(tmp.spool);
    try {
      const port = (server.address() as net.AddressInfo).port;
      const refused = fleet.start('late', { extraArgs: ['--listen', `127.0.0.1:${port}`] });
      const exit = await refused.waitExit(20_000);
      assert.equal(exit, { code: 2, signal: null }, refused.stderr);
      assert.match(refused.stderr, `127.0.0.1:${port}`);
      assert.not.match(refused.stderr, /\n\s+at /, 'no stack trace');
      const nodes = path.join(tmp.spool, 'nodes');
      assert.equal(await entries(path.join(nodes, '.leases')), [], 'no lease left');
      assert.equal(await entries(path.join(nodes, '.names')), [], 'no name claim left');
      assert.equal((await entries(nodes)).filter((name) => !name.startsWith('.')), [], 'no node record left');

      // the name was given back: the same node starts at once
      const again = fleet.start('late');
      await again.waitForLine(/ up: pid /, 20_000);
    } finally {
      await fleet.stopAll();
      server.close();
    }
  }));
});

test.run();
