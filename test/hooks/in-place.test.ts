// Stock hooks done in place (src/hooks/in-place.ts): only a byte-identical, executable copy of a shipped hook
// is done by renderd; work done in place prints, exits, times out, stops and falls back as a hook does.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { defaultHooksDir } from '../../src/hooks/defaults.js';
import { inPlaceWork, stockHookOf } from '../../src/hooks/in-place.js';
import { runHook, type InPlaceWork } from '../../src/hooks/run.js';

const stock = suite('stock hooks');
let dir: string;
stock.before.each(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'renderd-inplace-')); });
stock.after.each(() => fs.rmSync(dir, { recursive: true, force: true }));

const copy = (name: string, as = name) => {
  const to = path.join(dir, as);
  fs.copyFileSync(path.join(defaultHooksDir('blender'), name), to);
  fs.chmodSync(to, 0o755);
  return to;
};

stock('an unchanged copy is the stock hook, under any name', () => {
  assert.is(stockHookOf(copy('render-blender')), 'render-blender');
  assert.is(stockHookOf(copy('post-check', 'post-check-2')), 'post-check');
});

stock('a copy changed by one byte, or not executable, or missing, is not', () => {
  const render = copy('render-blender');
  assert.is(stockHookOf(render), 'render-blender');
  fs.appendFileSync(render, '#');
  assert.is(stockHookOf(render), undefined, 'seen again once changed');
  const check = copy('post-check');
  fs.chmodSync(check, 0o644);
  assert.is(stockHookOf(check), undefined);
  assert.is(stockHookOf(path.join(dir, 'nothing')), undefined);
});

stock('render-blender is done in place only with a warm path and RENDER_WARM not 0; other hooks never', () => {
  const render = { stage: 'render' as const, name: 'render-blender', path: copy('render-blender') };
  const warm = async () => ({ code: 0 });
  assert.ok(inPlaceWork(render, {}, dir, warm));
  assert.is(inPlaceWork(render, {}, dir, undefined), undefined);
  assert.is(inPlaceWork(render, { RENDER_WARM: '0' }, dir, warm), undefined);
  const mine = path.join(dir, 'render-mine');
  fs.writeFileSync(mine, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  assert.is(inPlaceWork({ stage: 'render', name: 'render-mine', path: mine }, {}, dir, warm), undefined);
});

stock('a stock render-blender whose RENDER_FILE is no file runs as the hook, to say so', async () => {
  const render = { stage: 'render' as const, name: 'render-blender', path: copy('render-blender') };
  const work = inPlaceWork(render, { RENDER_FILE: 'none.blend' }, dir, async () => ({ code: 0 }))!;
  const io = { stdout: () => undefined, stderr: () => undefined, spawned: () => undefined };
  assert.equal(await work(io, new AbortController().signal), { fallback: '' });
});

stock.run();

const run = suite('work done in place');
const base = { command: ['in-place'], cwd: os.tmpdir(), env: {}, nice: 0 };

run('its lines and exit code are the hook\'s; no process is started', async () => {
  const lines: string[] = [];
  const spawned: number[] = [];
  const work: InPlaceWork = async (io) => {
    io.stdout(Buffer.from('one\ntw'));
    io.stdout(Buffer.from('o\n'));
    io.stderr(Buffer.from('three\n'));
    io.spawned(4242);
    return { code: 3 };
  };
  const outcome = await runHook({ ...base, inPlace: work, onLine: (l) => lines.push(l), onSpawn: (p) => spawned.push(p), signal: new AbortController().signal });
  assert.equal([outcome.ok, outcome.exitCode, outcome.reason], [false, 3, 'exit code 3']);
  assert.equal(lines.sort(), ['one', 'three', 'two']);
  assert.equal(spawned, [4242], 'the group doing the work is the one the node suspends');
});

run('work that never ends is ended by --timeout, and by a stop', async () => {
  let aborted = 0;
  const hang: InPlaceWork = (_io, signal) => new Promise(() => signal.addEventListener('abort', () => aborted++));
  const timedOut = await runHook({ ...base, inPlace: hang, timeoutMs: 100, onLine: () => undefined, signal: new AbortController().signal });
  assert.equal([timedOut.ok, timedOut.timedOut, timedOut.reason], [false, true, 'timed out after 0s']);
  const stop = new AbortController();
  setTimeout(() => stop.abort(), 50);
  const stopped = await runHook({ ...base, inPlace: hang, onLine: () => undefined, signal: stop.signal });
  assert.equal([stopped.ok, stopped.stopped], [false, true]);
  assert.is(aborted, 2, 'the work heard both');
});

run('a fallback is passed back, to run the hook instead; a failure of the work fails the hook', async () => {
  const fallback = await runHook({ ...base, inPlace: async () => ({ fallback: 'busy' }), onLine: () => undefined, signal: new AbortController().signal });
  assert.equal([fallback.ok, fallback.fallback], [false, 'busy']);
  const lines: string[] = [];
  const thrown = await runHook({ ...base, inPlace: async () => { throw new Error('no such thing'); }, onLine: (l) => lines.push(l), signal: new AbortController().signal });
  assert.equal([thrown.ok, thrown.exitCode, lines], [false, 1, ['renderd: no such thing']]);
});

run.run();
