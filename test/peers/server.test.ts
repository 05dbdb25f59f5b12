import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sendRequest, type PeerAddress, type SendResult } from '../../src/peers/client.js';
import type { PeerHandler, PeerInfo } from '../../src/peers/connection.js';
import type { ReplyDraft, RequestDraft, RequestMessage } from '../../src/peers/messages.js';
import { startPeerServer, type PeerServer, type PeerServerOptions } from '../../src/peers/server.js';
import { collectingLog, eventually, makeKey, makeTempDir, removeDir, withTimeout } from './helpers.js';
import { closedWithin, connectRaw, nextLine, signedLine, TEST_RECIPIENT } from './sockets.js';

const key = makeKey();
const TEST_TIMEOUT_MS = 8000;

interface Harness {
  server: PeerServer;
  address: PeerAddress;
  seen: { msg: RequestMessage; peer: PeerInfo }[];
  log: ReturnType<typeof collectingLog>;
  ask(draft: Parameters<typeof sendRequest>[0]['msg']): Promise<SendResult>;
}

const answerAll: PeerHandler = async (msg) => {
  if (msg.type === 'status-request') return { type: 'status-reply', body: { node: 'node-a', state: 'active', slots: 2, running: [] } };
  if (msg.type === 'liveness-request') return { type: 'liveness-reply', body: { running: msg.body.token === 'tok-live' } };
  return undefined;
};

/** Starts a server on one transport, runs fn, and always closes the server and the temp dir. */
function withServer(transport: 'tcp' | 'unix', options: Partial<PeerServerOptions>, fn: (h: Harness) => Promise<void>): () => Promise<void> {
  return () => withTimeout(TEST_TIMEOUT_MS, async () => {
    const dir = await makeTempDir();
    const log = collectingLog();
    const seen: Harness['seen'] = [];
    const handle = options.handle ?? answerAll;
    const server = await startPeerServer({
      key, name: 'node-a', instance: 'inst-a', log,
      ...(transport === 'tcp' ? { tcp: { host: '127.0.0.1', port: 0 } } : { unixPath: path.join(dir, 'node-a.sock') }),
      ...options,
      handle: async (msg, peer) => { seen.push({ msg, peer }); return handle(msg, peer); },
    });
    const address: PeerAddress = server.tcp ? { host: '127.0.0.1', port: server.tcp.port } : { path: server.unixPath! };
    const ask = (msg: Parameters<typeof sendRequest>[0]['msg']) => sendRequest({ key, address, from: 'render', to: TEST_RECIPIENT, msg, timeoutMs: 3000 });
    try {
      await fn({ server, address, seen, log, ask });
    } finally {
      await server.close();
      await removeDir(dir);
    }
  });
}

for (const transport of ['tcp', 'unix'] as const) {
  test(`${transport}: requests get their replies`, withServer(transport, {}, async ({ ask, seen }) => {
    const status = await ask({ type: 'status-request', body: {} });
    assert.ok(status.ok && status.reply.type === 'status-reply' && status.reply.body.slots === 2, JSON.stringify(status));
    const live = await ask({ type: 'liveness-request', body: { job: 'j1', chunk: '0001', token: 'tok-live' } });
    assert.ok(live.ok && live.reply.type === 'liveness-reply' && live.reply.body.running === true);
    const wake = await ask({ type: 'wake', body: {} });
    assert.ok(wake.ok && wake.reply.type === 'ok' && wake.reply.from === 'node-a');
    assert.equal(seen.map((s) => [s.msg.type, s.msg.from, s.peer.transport]), [
      ['status-request', 'render', transport], ['liveness-request', 'render', transport], ['wake', 'render', transport],
    ]);
  }));

  test(`${transport}: several requests on one connection are answered in order`, withServer(transport, {}, async ({ address }) => {
    const socket = await connectRaw(address);
    try {
      socket.write(signedLine(key, { type: 'wake', body: {} }) + signedLine(key, { type: 'status-request', body: {} }));
      let text = '';
      for await (const chunk of socket) {
        text += chunk;
        if (text.split('\n').length > 2) break;
      }
      const types = text.trim().split('\n').map((line) => (JSON.parse(line) as { type: string }).type);
      assert.equal(types, ['ok', 'status-reply']);
    } finally {
      socket.destroy();
    }
  }));

  test(`${transport}: an unsigned frame has no effect, and the next client is served`, withServer(transport, {}, async ({ address, seen, log, ask }) => {
    const socket = await connectRaw(address);
    const closed = closedWithin(socket);
    const unsigned = signedLine(key, { type: 'node-control', body: { action: 'pause' } }).replace(/,"mac":"[0-9a-f]+"/, '');
    socket.write(unsigned);
    assert.is(await nextLine(socket), undefined, 'no reply to an unsigned frame');
    await closed;
    assert.is(seen.length, 0, 'the handler never saw it');
    assert.match(log.lines.join('\n'), /refused a frame of \d+ bytes \(bad-mac\)/);
    const next = await ask({ type: 'wake', body: {} });
    assert.ok(next.ok);
  }));

  test(`${transport}: garbage and frames signed with another key are refused, and not one of their bytes is logged`, withServer(transport, {}, async ({ address, seen, ask, log }) => {
    const hostile = ['not json at all SECRET\x1b]0;owned\x07\n', '\u0000\u0001\u0002\n', '{"v":"\x1b[2JSECRET"}\n', '{"v":2,"SECRET":1}\n', signedLine(makeKey(), { type: 'wake', body: {} })];
    for (const line of hostile) {
      const socket = await connectRaw(address);
      const closed = closedWithin(socket);
      socket.write(line);
      assert.is(await nextLine(socket), undefined);
      await closed;
    }
    assert.is(seen.length, 0);
    assert.ok((await ask({ type: 'wake', body: {} })).ok);
    const logged = log.lines.join('\n');
    assert.match(logged, /refused a frame of \d+ bytes \(not-json\)/);
    assert.not.match(logged, /SECRET|owned|\x1b|\u0000/);
  }));

  test(`${transport}: a signed frame for another node, or for an earlier instance of this one, is refused unseen`, withServer(transport, {}, async ({ address, seen, log, ask }) => {
    const stop: RequestDraft = { type: 'stop-chunk', body: { job: 'j1', reason: 'captured' } };
    for (const to of [{ node: 'node-b', instance: 'inst-a' }, { node: 'node-a', instance: 'inst-before-restart' }]) {
      const socket = await connectRaw(address);
      const closed = closedWithin(socket);
      socket.write(signedLine(key, stop, 'render', to));
      assert.is(await nextLine(socket), undefined, `${to.node}/${to.instance}: no reply`);
      await closed;
    }
    assert.is(seen.length, 0, 'the handler never saw them');
    assert.match(log.lines.join('\n'), /refused a frame for node-b instance inst-a, not this node/);
    assert.ok((await ask({ type: 'wake', body: {} })).ok, 'one addressed to it is answered');
  }));

  test(`${transport}: a replayed frame is refused on any connection`, withServer(transport, {}, async ({ address, seen, log }) => {
    const line = signedLine(key, { type: 'node-control', body: { action: 'drain' } });
    const first = await connectRaw(address);
    first.write(line);
    assert.ok(await nextLine(first));
    first.destroy();
    const second = await connectRaw(address);
    const closed = closedWithin(second);
    second.write(line);
    assert.is(await nextLine(second), undefined);
    await closed;
    assert.is(seen.length, 1);
    assert.match(log.lines.join('\n'), /replayed/);
  }));

  test(`${transport}: a client that sends nothing is dropped after readTimeoutMs`, withServer(transport, { readTimeoutMs: 150 }, async ({ address, server }) => {
    const socket = await connectRaw(address);
    const elapsedMs = await closedWithin(socket);
    assert.ok(elapsedMs >= 120 && elapsedMs < 2000, `dropped after ${elapsedMs} ms`);
    await eventually(() => server.connectionCount === 0, 1000, 'server forgets the connection');
  }));

  test(`${transport}: a client that trickles bytes is still dropped at the deadline`, withServer(transport, { readTimeoutMs: 200 }, async ({ address }) => {
    const socket = await connectRaw(address);
    const closed = closedWithin(socket);
    const trickle = setInterval(() => socket.writable && socket.write('{'), 20);
    try {
      const elapsedMs = await closed;
      assert.ok(elapsedMs < 2000, `dropped after ${elapsedMs} ms`);
    } finally {
      clearInterval(trickle);
    }
  }));

  test(`${transport}: a flood beyond maxConnections is refused while an existing client keeps working`, withServer(transport, { maxConnections: 4 }, async ({ address, server, log }) => {
    const held = await Promise.all([0, 1, 2, 3].map(() => connectRaw(address)));
    try {
      const flood = await Promise.all(Array.from({ length: 30 }, () => connectRaw(address).then(closedWithin, () => 0)));
      assert.ok(flood.every((ms) => ms < 1000), `flood closes: ${flood.map(Math.round).join(',')}`);
      assert.is(server.connectionCount, 4);
      held[0].write(signedLine(key, { type: 'status-request', body: {} }));
      const reply = JSON.parse((await nextLine(held[0]))!) as { type: string };
      assert.is(reply.type, 'status-reply');
      assert.match(log.lines.join('\n'), /over 4 open connections; closed at once/);
      assert.ok(log.lines.length < 10, `refusals are rate-limited in the log (${log.lines.length} lines)`);
    } finally {
      for (const socket of held) socket.destroy();
    }
  }));

  test(`${transport}: a line over the cap closes that connection only`, withServer(transport, { maxLineBytes: 1024 }, async ({ address, seen, ask }) => {
    const bystander = await connectRaw(address);
    try {
      const socket = await connectRaw(address);
      const closed = closedWithin(socket);
      socket.write('x'.repeat(2000)); // no newline needed: the cap is enforced as bytes arrive
      await closed;
      assert.is(seen.length, 0);
      bystander.write(signedLine(key, { type: 'wake', body: {} }));
      assert.is((JSON.parse((await nextLine(bystander))!) as { type: string }).type, 'ok');
      assert.ok((await ask({ type: 'wake', body: {} })).ok);
    } finally {
      bystander.destroy();
    }
  }));
}

test('a handler that throws or answers the wrong type yields an error reply, not a crash', withServer('tcp', {
  handle: async (msg): Promise<ReplyDraft> => {
    if (msg.type === 'wake') throw new Error('boom');
    if (msg.type === 'status-request') return { type: 'ok', body: {} };
    return { type: 'error', body: { code: 'bad\nname', message: 'invalid reply' } };
  },
}, async ({ ask, log }) => {
  const drafts: RequestDraft[] = [{ type: 'wake', body: {} }, { type: 'status-request', body: {} }, { type: 'node-control', body: { action: 'pause' } }];
  for (const draft of drafts) {
    const result = await ask(draft);
    assert.ok(result.ok && result.reply.type === 'error' && result.reply.body.code === 'internal', `${draft.type}: ${JSON.stringify(result)}`);
  }
  assert.match(log.lines.join('\n'), /handler failed on wake .*boom/);
}));

test('unix: the socket is private, a stale one is replaced, and it is removed on close', () => withTimeout(TEST_TIMEOUT_MS, async () => {
  const dir = await makeTempDir();
  const socketPath = path.join(dir, 'node.sock');
  try {
    const first = await startPeerServer({ key, name: 'n', unixPath: socketPath, handle: answerAll, log: collectingLog() });
    assert.is(((await fs.stat(socketPath)).mode & 0o777).toString(8), '600');
    // A crash leaves the socket file behind: keep a hard link to it past close().
    await fs.link(socketPath, socketPath + '.stale');
    await first.close();
    assert.not.ok(await exists(socketPath), 'close removes the socket file');
    await fs.rename(socketPath + '.stale', socketPath);
    const second = await startPeerServer({ key, name: 'n', unixPath: socketPath, handle: answerAll, log: collectingLog() });
    try {
      const reply = await sendRequest({ key, address: { path: socketPath }, from: 't', to: { node: 'n', instance: 'x' }, msg: { type: 'wake', body: {} }, timeoutMs: 2000 });
      assert.ok(reply.ok);
      const third = await rejectionOf(startPeerServer({ key, name: 'n', unixPath: socketPath, handle: answerAll, log: collectingLog() }));
      assert.match(String(third), /already listening/);
    } finally {
      await second.close();
    }
  } finally {
    await removeDir(dir);
  }
}));

test('unix: a path that is not a socket is refused and left alone', () => withTimeout(TEST_TIMEOUT_MS, async () => {
  const dir = await makeTempDir();
  const notASocket = path.join(dir, 'important.txt');
  try {
    await fs.writeFile(notASocket, 'keep me');
    const error = await rejectionOf(startPeerServer({ key, name: 'n', unixPath: notASocket, handle: answerAll, log: collectingLog() }));
    assert.match(String(error), /not a socket; not removing it/);
    assert.is(await fs.readFile(notASocket, 'utf8'), 'keep me');
  } finally {
    await removeDir(dir);
  }
}));

test('close() drops open connections', withServer('tcp', {}, async ({ address, server }) => {
  const socket = await connectRaw(address);
  const closed = closedWithin(socket);
  await server.close();
  await closed;
  await eventually(() => server.connectionCount === 0, 1000, 'server forgets the connection');
}));

test('bad options are TypeErrors naming the option', async () => {
  const base = { key, name: 'n', tcp: { host: '127.0.0.1', port: 0 }, handle: answerAll, log: collectingLog() };
  for (const [options, name] of [
    [{ ...base, key: Buffer.alloc(3) }, 'key'], [{ ...base, name: '../x' }, 'name'], [{ ...base, tcp: undefined }, 'tcp'],
    [{ ...base, maxConnections: 0 }, 'maxConnections'], [{ ...base, readTimeoutMs: -5 }, 'readTimeoutMs'],
  ] as const) {
    const error = await rejectionOf(startPeerServer(options as PeerServerOptions));
    assert.instance(error, TypeError);
    assert.match(String(error), name);
  }
});

async function exists(file: string): Promise<boolean> {
  return fs.lstat(file).then(() => true, () => false);
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then((value) => { throw new Error(`expected a rejection, got ${String(value)}`); }, (error: unknown) => error);
}

test.run();
