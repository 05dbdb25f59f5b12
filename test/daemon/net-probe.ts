// A hostile (and one honest) client for a node's TCP port, run from another network namespace by
// net-support.ts: `node net-probe.js '{"host","port","spool","cases":[...]}'` prints one JSON array,
// one result per case, in order. Not a test file: the runner only picks up *.test.js.
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  canonicalJson, composeRequest, DEFAULT_MAX_LINE_BYTES, encodeMessage, readFarmKey, sendRequest, type RequestDraft,
} from '../../src/peers/index.js';

export type ProbeCase =
  | 'garbage' | 'binary' | 'unsigned' | 'wrong-key' | 'bad-mac' | 'oversized' | 'oversized-line' | 'stale'
  | 'replay' | 'status' | 'stop-chunk-unsigned' | 'stop-chunk-wrong-key';

export interface ProbePlan {
  host: string;
  port: number;
  spool: string;
  cases: ProbeCase[];
  /** For the stop-chunk cases: the job whose chunks a forged message asks to stop. */
  job?: string;
  /** The node listening at host:port: honest frames are addressed to its instance (protocol v2). */
  node?: string;
}

export interface ProbeResult {
  case: ProbeCase;
  /** Lines the node sent back (for a refused frame: none). */
  replies: string[];
  /** The node closed the connection (or reset it) before our own deadline. */
  closedByNode: boolean;
  ms: number;
  /** For `status` and `replay`: what an honest signed request got. */
  detail?: unknown;
}

const WAIT_MS = 3000;
const FROM = 'net-probe';

/** Writes `payload` on a fresh connection, then reads until the node closes or WAIT_MS pass. */
function exchange(host: string, port: number, payload: Buffer): Promise<{ replies: string[]; closedByNode: boolean; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = net.createConnection({ host, port, noDelay: true });
    let received = '';
    let done = false;
    const finish = (closedByNode: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ replies: received.split('\n').filter(Boolean), closedByNode, ms: performance.now() - started });
    };
    const timer = setTimeout(() => finish(false), WAIT_MS);
    socket.on('connect', () => socket.write(payload));
    socket.on('data', (data: Buffer) => { received += data.toString('utf8'); });
    // a reset (the node destroying the socket while we still write) is a close all the same
    socket.on('error', () => finish(true));
    socket.on('close', () => finish(true));
  });
}

function wakeFrame(key: Buffer, wallMs = Date.now()): string {
  return encodeMessage(key, composeRequest({ type: 'wake', body: {} }, { from: FROM, wallMs }, recipient));
}

async function runCase(plan: ProbePlan, key: Buffer, which: ProbeCase): Promise<ProbeResult> {
  const send = async (payload: string | Buffer) => ({ case: which, ...(await exchange(plan.host, plan.port, Buffer.isBuffer(payload) ? payload : Buffer.from(payload))) });
  const wrongKey = randomBytes(32);
  const stop: RequestDraft = { type: 'stop-chunk', body: { job: plan.job ?? 'nojob', reason: 'forged by net-probe' } };
  switch (which) {
    case 'garbage': return send('hello there, node\n');
    case 'binary': return send(Buffer.concat([randomBytes(4096).map((b) => (b === 10 ? 11 : b)), Buffer.from('\n')]));
    case 'unsigned': return send(canonicalJson(composeRequest({ type: 'wake', body: {} }, { from: FROM, wallMs: Date.now() }, recipient)) + '\n');
    case 'wrong-key': return send(wakeFrame(wrongKey) + '\n');
    case 'bad-mac': {
      const frame = wakeFrame(key);
      const flipped = frame.slice(0, -3) + (frame.at(-3) === '0' ? '1' : '0') + frame.slice(-2);
      return send(flipped + '\n');
    }
    case 'stale': return send(wakeFrame(key, Date.now() - 60 * 60_000) + '\n');
    // an endless line: refused once it passes the cap, before any newline arrives
    case 'oversized': return send(Buffer.alloc(4 * DEFAULT_MAX_LINE_BYTES, 'x'));
    // a complete line just over the cap, made of a valid frame padded with spaces
    case 'oversized-line': return send(wakeFrame(key) + ' '.repeat(DEFAULT_MAX_LINE_BYTES) + '\n');
    case 'stop-chunk-unsigned': return send(canonicalJson(composeRequest(stop, { from: FROM, wallMs: Date.now() }, recipient)) + '\n');
    case 'stop-chunk-wrong-key': return send(encodeMessage(wrongKey, composeRequest(stop, { from: FROM, wallMs: Date.now() }, recipient)) + '\n');
    case 'replay': {
      // the same signed frame twice: answered once, then refused
      const line = wakeFrame(key) + '\n';
      const first = await exchange(plan.host, plan.port, Buffer.from(line));
      const second = await exchange(plan.host, plan.port, Buffer.from(line));
      return { case: which, ...second, detail: { first } };
    }
    case 'status': {
      const started = performance.now();
      const result = await sendRequest({ key, address: { host: plan.host, port: plan.port }, from: FROM, to: recipient, msg: { type: 'status-request', body: {} }, timeoutMs: WAIT_MS });
      return { case: which, replies: [], closedByNode: false, ms: performance.now() - started, detail: result.ok ? result.reply : { failed: result.reason, detail: result.detail } };
    }
  }
}

/** The node under test, from its record on the spool: what every frame is addressed to. */
let recipient = { node: 'unknown', instance: 'unknown' };

async function main(): Promise<void> {
  const plan = JSON.parse(process.argv[2] ?? '{}') as ProbePlan;
  const key = await readFarmKey(plan.spool);
  // the named node's record; with several nodes on the spool, the first listed may be another one, whose
  // instance the node under test rightly refuses (a wake to it went unanswered: a flaky test)
  const records = (await fs.readdir(path.join(plan.spool, 'nodes'))).filter((n) => n.endsWith('.json') && (!plan.node || n === `${plan.node}.json`));
  if (records.length > 0) {
    const record = JSON.parse(await fs.readFile(path.join(plan.spool, 'nodes', records[0]), 'utf8')) as { name: string; instance: string };
    recipient = { node: record.name, instance: record.instance };
  }
  const results: ProbeResult[] = [];
  for (const which of plan.cases) results.push(await runCase(plan, key, which));
  process.stdout.write(JSON.stringify(results) + '\n');
}

main().catch((error) => {
  process.stderr.write(`net-probe: ${(error as Error).stack ?? error}\n`);
  process.exitCode = 1;
});
