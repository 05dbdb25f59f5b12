import net from 'node:net';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sendRequest, type PeerAddress, type SendResult } from '../../src/peers/client.js';
import { encodeMessage } from '../../src/peers/codec.js';
import { composeReply } from '../../src/peers/envelope.js';
import { makeKey, makeTempDir, removeDir, withTimeout } from './helpers.js';

const key = makeKey();
const TEST_TIMEOUT_MS = 5000;

function ask(address: PeerAddress, timeoutMs = 2000): Promise<SendResult> {
  return sendRequest({ key, address, from: 'render', to: { node: 'node-a', instance: 'inst-a' }, msg: { type: 'wake', body: {} }, timeoutMs });
}

/** A fake peer that does whatever `onLine` says with each request line; closed after fn. */
async function withFakePeer(onLine: (socket: net.Socket, line: string) => void, fn: (address: PeerAddress) => Promise<void>): Promise<void> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk;
      const end = text.indexOf('\n');
      if (end !== -1) onLine(socket, text.slice(0, end));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await fn({ host: '127.0.0.1', port: (server.address() as net.AddressInfo).port });
  } finally {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
}

function replyTo(line: string, replyKey = key, re?: string): string {
  const request = JSON.parse(line) as { id: string };
  return encodeMessage(replyKey, composeReply({ type: 'ok', body: {} }, { id: re ?? request.id }, { from: 'fake', wallMs: Date.now() })) + '\n';
}

const reasonOf = (result: SendResult) => (result.ok ? 'ok' : result.reason);

test('a closed TCP port is refused', () => withTimeout(TEST_TIMEOUT_MS, async () => {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  assert.is(reasonOf(await ask({ host: '127.0.0.1', port })), 'refused');
}));

test('a missing Unix socket is refused', () => withTimeout(TEST_TIMEOUT_MS, async () => {
  const dir = await makeTempDir();
  try {
    assert.is(reasonOf(await ask({ path: path.join(dir, 'gone.sock') })), 'refused');
  } finally {
    await removeDir(dir);
  }
}));

test('a peer that never answers is a timeout', () => withTimeout(TEST_TIMEOUT_MS, () => withFakePeer(() => undefined, async (address) => {
  const startMs = performance.now();
  assert.is(reasonOf(await ask(address, 200)), 'timeout');
  assert.ok(performance.now() - startMs < 1500);
})));

test('a peer that hangs up is closed', () => withTimeout(TEST_TIMEOUT_MS, () => withFakePeer((socket) => socket.destroy(), async (address) => {
  assert.is(reasonOf(await ask(address)), 'closed');
})));

test('a correct reply is ok', () => withTimeout(TEST_TIMEOUT_MS, () => withFakePeer((socket, line) => socket.write(replyTo(line)), async (address) => {
  const result = await ask(address);
  assert.ok(result.ok && result.reply.type === 'ok' && result.reply.from === 'fake');
})));

test('garbage, foreign-key and mismatched replies are bad-reply', () => withTimeout(TEST_TIMEOUT_MS, async () => {
  const replies: [string, (line: string) => string][] = [
    ['garbage', () => 'hello\n'],
    ['signed with another key', (line) => replyTo(line, makeKey())],
    ['answers another request', (line) => replyTo(line, key, 'someone-elses-request')],
    ['a request instead of a reply', (line) => line + '\n'],
  ];
  for (const [what, makeReply] of replies) {
    await withFakePeer((socket, line) => socket.write(makeReply(line)), async (address) => {
      assert.is(reasonOf(await ask(address)), 'bad-reply', what);
    });
  }
}));

test('an endless reply is cut at the line cap', () => withTimeout(TEST_TIMEOUT_MS, () => withFakePeer((socket) => socket.write('x'.repeat(100_000)), async (address) => {
  const result = await sendRequest({ key, address, from: 'render', to: { node: 'node-a', instance: 'inst-a' }, msg: { type: 'wake', body: {} }, timeoutMs: 2000, maxLineBytes: 4096 });
  assert.is(reasonOf(result), 'bad-reply');
})));

test.run();
