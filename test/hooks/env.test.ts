// hookEnvironment (contract §4) and stageOf: pure, table tests.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hookEnvironment, type HookContext } from '../../src/hooks/env.js';
import { stageOf } from '../../src/hooks/discover.js';
import type { ChunkRecord, JobRecord } from '../../src/spool/records.js';

const JOB: JobRecord = {
  v: 1, id: 'job1', name: 'shot 10', owner: 'ana', kind: 'blender', createdAt: '2030-01-01T00:00:00Z', host: 'h', cwd: '/proj',
  file: '/proj/shot.blend', scene: 'Main', output: '/out/f_####', format: 'PNG', frames: '1-100', chunkSize: 10, chunks: 10,
  priority: 0, after: [], retries: 2, noOverwrite: false, paused: false,
};

function chunk(frames: number[]): ChunkRecord {
  return { v: 1, job: 'job1', id: '0002', frames, state: 'running', rev: 1, attempt: 3, failures: 2, history: [] };
}

function context(frames: number[], over: Partial<HookContext> = {}): HookContext {
  return { spool: '/spool', job: JOB, chunk: chunk(frames), node: 'n7', attempt: 3, logFile: '/spool/jobs/job1/logs/0002.3.log', ...over };
}

test('every contract variable, for an even run of frames', () => {
  assert.equal(hookEnvironment(context([11, 12, 13, 14, 15, 16, 17, 18, 19, 20])), {
    RENDER_SPOOL: '/spool',
    RENDER_JOB: 'job1',
    RENDER_JOB_DIR: '/spool/jobs/job1',
    RENDER_JOB_NAME: 'shot 10',
    RENDER_CHUNK: '0002',
    RENDER_FRAMES: '11-20',
    RENDER_START: '11',
    RENDER_END: '20',
    RENDER_STEP: '1',
    RENDER_FILE: '/proj/shot.blend',
    RENDER_SCENE: 'Main',
    RENDER_OUTPUT: '/out/f_####',
    RENDER_FORMAT: 'PNG',
    RENDER_CAMERA: '',
    RENDER_VIEW_LAYER: '',
    RENDER_AUTOEXEC: '',
    RENDER_NODE: 'n7',
    RENDER_ATTEMPT: '3',
    RENDER_OWNER: 'ana',
    RENDER_LOG: '/spool/jobs/job1/logs/0002.3.log',
    RENDER_NO_OVERWRITE: '',
    RENDER_FRAME_LIST: '11 12 13 14 15 16 17 18 19 20',
  });
});

const FRAMES: [number[], string, string, string, string][] = [
  // frames, RENDER_FRAMES, START, END, STEP
  [[7], '7', '7', '7', '1'],
  [[1, 6, 11], '1-11x5', '1', '11', '5'],
  [[1, 5, 9], '1-9x4', '1', '9', '4'],
  [[1, 2, 4], '1-2,4', '1', '4', '0'],
  [[-5, -4, -3], '-5--3', '-5', '-3', '1'],
];

for (const [frames, spec, start, end, step] of FRAMES) {
  test(`frames ${JSON.stringify(frames)} → RENDER_FRAMES ${spec}, ${start}..${end} step ${step}`, () => {
    const env = hookEnvironment(context(frames));
    assert.equal([env.RENDER_FRAMES, env.RENDER_START, env.RENDER_END, env.RENDER_STEP], [spec, start, end, step]);
    assert.is(env.RENDER_FRAME_LIST, frames.join(' '));
  });
}

test('RENDER_STATUS only when given (error-* and end-*)', () => {
  assert.ok(!('RENDER_STATUS' in hookEnvironment(context([1]))));
  assert.is(hookEnvironment(context([1], { status: 'ok' })).RENDER_STATUS, 'ok');
  assert.is(hookEnvironment(context([1], { status: 'failed' })).RENDER_STATUS, 'failed');
});

test('RENDER_ATTEMPT is the attempt given, RENDER_NODE the node running it', () => {
  const env = hookEnvironment(context([1], { attempt: 1, node: 'other' }));
  assert.is(env.RENDER_ATTEMPT, '1');
  assert.is(env.RENDER_NODE, 'other');
});

test('an exec job has empty file, scene and output; no-overwrite is 1 when set', () => {
  const exec: JobRecord = { ...JOB, kind: 'exec', file: undefined, scene: undefined, output: undefined, format: undefined, noOverwrite: true, command: ['x'] };
  const env = hookEnvironment(context([1], { job: exec }));
  assert.equal([env.RENDER_FILE, env.RENDER_SCENE, env.RENDER_OUTPUT, env.RENDER_FORMAT, env.RENDER_NO_OVERWRITE], ['', '', '', '', '1']);
});

test('a huge frame list is left out of RENDER_FRAME_LIST (Linux limits one variable to 128 KiB), RENDER_FRAMES stays compact', () => {
  const frames = Array.from({ length: 20_000 }, (_, i) => i * 2);
  const env = hookEnvironment(context(frames));
  assert.ok(!('RENDER_FRAME_LIST' in env));
  assert.is(env.RENDER_FRAMES, '0-39998x2');
});

test('every value is a string', () => {
  for (const [key, value] of Object.entries(hookEnvironment(context([1, 2], { status: 'ok' })))) assert.type(value, 'string', key);
});

const STAGES: [string, string | null][] = [
  ['pre-sync', 'pre'], ['render-blender', 'render'], ['post-check2', 'post'], ['error-mail', 'error'], ['end-cleanup', 'end'],
  ['post-check~', null], ['.pre-x', null], ['README.md', null], ['pre', null], ['pre-', null], ['prelude-x', null], ['Post-x', null],
];

for (const [name, stage] of STAGES) {
  test(`stageOf(${name}) = ${stage}`, () => {
    assert.is(stageOf(name), stage);
  });
}

test.run();
