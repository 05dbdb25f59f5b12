// Shared by the peers tests: timeouts (uvu has none), temp dirs, a settable clock, sample messages.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Clock, ClockReading } from '../../src/peers/clock.js';
import type { PeerLog } from '../../src/peers/connection.js';
import type { Message } from '../../src/peers/messages.js';

/** Runs fn, failing the test if it takes longer than ms. */
export async function withTimeout<T>(ms: number, fn: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`test timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([fn(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function makeTempDir(prefix = 'renderd-peers-'): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}

export function removeDir(dir: string): Promise<void> {
  return fs.rm(dir, { recursive: true, force: true });
}

export function makeKey(): Buffer {
  return crypto.randomBytes(32);
}

export const T0_WALL_MS = 1_750_000_000_000;

/** A clock the test moves by hand. */
export class FakeClock implements Clock {
  constructor(public wall = T0_WALL_MS, public mono = 1000) {}
  wallMs(): number { return this.wall; }
  monotonicMs(): number { return this.mono; }
  wallIso(): string { return new Date(this.wall).toISOString(); }
  reading(): ClockReading { return { wallMs: this.wall, monoMs: this.mono }; }
  advance(ms: number): void { this.wall += ms; this.mono += ms; }
}

export function collectingLog(): PeerLog & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (message) => lines.push(`info ${message}`), warn: (message) => lines.push(`warn ${message}`) };
}

let counter = 0;
/** A fresh, valid nonce per call, distinguishable in failures. */
export function nonce(): string {
  return `nonce-${String(++counter).padStart(10, '0')}`;
}

/** One valid message of every type, stamped at `wallMs`. */
export function sampleMessages(wallMs = T0_WALL_MS): Message[] {
  const base = { v: 2 as const, ts: wallMs, from: 'node-a' };
  const to = { node: 'node-b', instance: 'inst-1' };
  const re = 'request-0000000001';
  return [
    { ...base, to, id: nonce(), type: 'wake', body: {} },
    { ...base, to, id: nonce(), type: 'wake', body: { job: 'job-42' } },
    { ...base, to, id: nonce(), type: 'status-request', body: {} },
    { ...base, to, id: nonce(), type: 'node-control', body: { action: 'pause' } },
    { ...base, to, id: nonce(), type: 'node-control', body: { action: 'resume' } },
    { ...base, to, id: nonce(), type: 'node-control', body: { action: 'drain' } },
    { ...base, to, id: nonce(), type: 'stop-chunk', body: { job: 'job-42', reason: 'removed by user' } },
    { ...base, to, id: nonce(), type: 'stop-chunk', body: { job: 'job-42', chunk: '0003', token: 'tok-abc', reason: 'claim lost — «fenced»' } },
    { ...base, to, id: nonce(), type: 'liveness-request', body: { job: 'job-42', chunk: '0003', token: 'tok-abc' } },
    { ...base, id: nonce(), re, type: 'liveness-reply', body: { running: true } },
    { ...base, id: nonce(), re, type: 'liveness-reply', body: { running: false } },
    { ...base, to, id: nonce(), type: 'doctor-request', body: {} },
    { ...base, to, id: nonce(), type: 'doctor-request', body: { probe: 'doctor-probe-0123456789ab' } },
    { ...base, id: nonce(), re, type: 'doctor-reply', body: {} },
    { ...base, id: nonce(), re, type: 'doctor-reply', body: { probeSeen: true, blender: 'Blender 3.4.1' } },
    { ...base, id: nonce(), re, type: 'doctor-reply', body: { probeSeen: false, blender: '' } },
    { ...base, id: nonce(), re, type: 'status-reply', body: { node: 'node-a', state: 'active', slots: 2, running: [] } },
    {
      ...base, id: nonce(), re, type: 'status-reply',
      body: {
        node: 'node-a', state: 'draining', slots: 4, load: 3.25,
        mem: { usedBytes: 8_000_000_000, totalBytes: 32_000_000_000 }, swap: { usedBytes: 0, totalBytes: 2_000_000_000 },
        running: [
          { job: 'job-42', chunk: '0003', token: 'tok-abc', attempt: 1, frame: -5, progress: 0.5 },
          { job: 'job-43', chunk: '0001', token: 'tok-def', attempt: 2 },
        ],
      },
    },
    { ...base, id: nonce(), re, type: 'ok', body: {} },
    { ...base, id: nonce(), re, type: 'error', body: { code: 'not-found', message: 'no chunk 0003 in job-42' } },
  ];
}

/** Awaits a promise expected to reject; returns the error (uvu 0.5 has no assert.rejects). */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, got a result');
}

/** Polls until check() is true (for state another event-loop turn settles), failing after ms. */
export async function eventually(check: () => boolean, ms = 1000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
