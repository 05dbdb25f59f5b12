// GPUs without a GPU: the variables each vendor's runtime reads, one GPU per slot on a real node,
// `render add --device gpu` routed only to GPU nodes, and render-blender's Cycles device argument.
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { GpuSlots, deviceEnvironment, deviceMismatch, parseGpus } from '../../src/devices/devices.js';
import { RENDERD_BIN, showJob, submitExec, withFleet, withTempSpool, withTimeout, writeScript } from '../support/index.js';
import { HOOKS_DIR, makeTempDir, runHook } from '../blender/run-hook.js';
import { execFile } from 'node:child_process';

test('each vendor\'s visibility variable for the slot\'s GPU; a cpu job renders on the CPU', () => {
  assert.equal(deviceEnvironment('CUDA', 1, undefined), { RENDER_DEVICE: 'CUDA', RENDER_GPU: '1', CUDA_VISIBLE_DEVICES: '1' });
  assert.equal(deviceEnvironment('OPTIX', 0, 'gpu'), { RENDER_DEVICE: 'OPTIX', RENDER_GPU: '0', CUDA_VISIBLE_DEVICES: '0' });
  assert.equal(deviceEnvironment('HIP', 2, undefined), { RENDER_DEVICE: 'HIP', RENDER_GPU: '2', HIP_VISIBLE_DEVICES: '2', ROCR_VISIBLE_DEVICES: '2' });
  assert.equal(deviceEnvironment('ONEAPI', 3, undefined), { RENDER_DEVICE: 'ONEAPI', RENDER_GPU: '3', ONEAPI_DEVICE_SELECTOR: 'level_zero:3' });
  assert.equal(deviceEnvironment('METAL', 0, undefined), { RENDER_DEVICE: 'METAL', RENDER_GPU: '0' });
  assert.equal(deviceEnvironment('CUDA', undefined, undefined), { RENDER_DEVICE: 'CUDA' }, 'no --gpus: every GPU visible');
  assert.equal(deviceEnvironment('CUDA', 1, 'cpu'), { RENDER_DEVICE: 'CPU' });
  assert.equal(deviceEnvironment('CPU', undefined, undefined), { RENDER_DEVICE: 'CPU' });
});

test('--gpus parsing, GPU hand-out, and routing', () => {
  assert.equal(parseGpus('0, 2'), [0, 2]);
  assert.throws(() => parseGpus('0,0'), /twice/);
  assert.throws(() => parseGpus('a'), /GPU numbers/);
  const slots = new GpuSlots([0, 1]);
  const [a, b, c] = [slots.take(), slots.take(), slots.take()];
  assert.equal([a, b, c], [0, 1, undefined]);
  slots.give(a);
  assert.is(slots.take(), 0);
  assert.is(deviceMismatch('gpu', 'CPU'), 'job wants a GPU node');
  assert.is(deviceMismatch('gpu', 'OPTIX'), null);
  assert.is(deviceMismatch('cpu', 'CPU'), null);
});

test('renderd refuses --gpus without a GPU device, and --slots that disagree with --gpus', async () => {
  for (const args of [['--gpus', '0,1'], ['--device', 'CUDA', '--gpus', '0,1', '--slots', '3'], ['--device', 'VULKAN']]) {
    const result = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(process.execPath, [RENDERD_BIN, '--spool', '/nonexistent/spool', ...args], { timeout: 20_000 }, (error, _out, stderr) =>
        resolve({ code: (error as { code?: number } | null)?.code ?? 0, stderr }));
    });
    assert.is(result.code, 2, args.join(' '));
    assert.is(result.stderr.trim().split('\n').length, 1, result.stderr);
  }
});

test('a CUDA node with --gpus 0,1: every chunk sees exactly its slot\'s GPU; a gpu job waits for a GPU node', async () => {
  await withTimeout(120_000, 'gpu slots', () => withTempSpool(async (tmp) => {
    const seen = tmp.path('seen');
    await fs.mkdir(seen);
    const record = await writeScript(tmp.path('record.sh'), `#!/bin/sh
echo "$RENDER_DEVICE \${RENDER_GPU:-none} \${CUDA_VISIBLE_DEVICES:-unset}" > "${seen}/$RENDER_JOB_NAME-$RENDER_CHUNK"
sleep 0.3
`);
    const gpuJob = await submitExec(tmp.spool, ['--frames', '1-6', '--chunk', '1', '--device', 'gpu', '--name', 'gpu'], [record]);
    const cpuJob = await submitExec(tmp.spool, ['--frames', '1', '--device', 'cpu', '--name', 'cpu'], [record]);
    await withFleet(tmp.spool, async (fleet) => {
      // a CPU node takes the cpu job and leaves the gpu job queued
      await fleet.start('plain', { exitWhenIdle: true }).exited;
      assert.is((await showJob(tmp.spool, cpuJob)).state, 'done');
      assert.is((await showJob(tmp.spool, gpuJob)).chunks.queued, 6);
      await fleet.start('gpu-node', { exitWhenIdle: true, extraArgs: ['--device', 'CUDA', '--gpus', '0,1'] }).exited;
    });
    assert.is((await showJob(tmp.spool, gpuJob)).state, 'done');
    const lines = await Promise.all((await fs.readdir(seen)).sort().map(async (name) => `${name.split('-')[0]} ${(await fs.readFile(join(seen, name), 'utf8')).trim()}`));
    assert.is(lines.filter((line) => line.startsWith('gpu ')).length, 6);
    for (const line of lines.filter((l) => l.startsWith('gpu '))) assert.match(line, /^gpu CUDA ([01]) \1$/);
    assert.equal(lines.filter((line) => line.startsWith('cpu ')), ['cpu CPU none unset']);
  }));
});

test('render-blender: RENDER_DEVICE becomes `-- --cycles-device DEVICE` after the frames; CPU adds nothing', () => {
  const temp = makeTempDir('device');
  try {
    const blend = join(temp.dir, 'shot.blend');
    writeFileSync(blend, 'BLENDER-v304');
    const argvFile = join(temp.dir, 'argv');
    const fake = join(temp.dir, 'fake-blender');
    writeFileSync(fake, `#!/bin/sh\nfor a; do printf '%s\\0' "$a"; done > "$FAKE_ARGV"\n`);
    chmodSync(fake, 0o755);
    const vars = { BLENDER: fake, FAKE_ARGV: argvFile, RENDER_FILE: blend, RENDER_START: '1', RENDER_END: '2', RENDER_STEP: '1' };
    const argv = (device: string) => {
      const result = runHook(join(HOOKS_DIR, 'render-blender'), { ...vars, RENDER_DEVICE: device }, temp.dir);
      assert.is(result.status, 0, result.stderr);
      return readFileSync(argvFile, 'utf8').split('\0').slice(0, -1);
    };
    assert.equal(argv('OPTIX'), ['-b', blend, '-s', '1', '-e', '2', '-j', '1', '-a', '--', '--cycles-device', 'OPTIX']);
    assert.equal(argv('CPU'), ['-b', blend, '-s', '1', '-e', '2', '-j', '1', '-a']);
    const bad = runHook(join(HOOKS_DIR, 'render-blender'), { ...vars, RENDER_DEVICE: 'VULKAN' }, temp.dir);
    assert.is(bad.status, 2);
  } finally {
    temp.remove();
  }
});

test.run();
