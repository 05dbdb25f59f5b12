// What a tile chunk's hooks see: its own output file, its border and its index, which the warm path
// passes on to its Blender as the cold command line does.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hookEnvironment } from '../../src/hooks/env.js';
import { warmRequestFrom } from '../../src/warm/request.js';
import { newChunkRecord } from '../../src/jobs/submit.js';
import type { JobRecord } from '../../src/spool/records.js';

const job = {
  v: 1, id: 'j1', name: 'still.tiles', owner: 'ana', kind: 'blender', createdAt: '', host: 'h', cwd: '/p', file: '/p/still.blend',
  scene: 'Scene', output: '//out/f_####', format: 'PNG', frames: '7', chunkSize: 1, chunks: 8, priority: 0, after: [], retries: 2,
  noOverwrite: false, paused: false, tiles: { cols: 2, rows: 2, overscan: 4, width: 64, height: 36 },
} as JobRecord;

test('chunk 0006 of a 2x2 tiled job: tile 1 of its frame, its own output, its border, warm or cold', () => {
  const env = hookEnvironment({ spool: '/s', job, chunk: newChunkRecord('j1', '0006', [7]), node: 'n', attempt: 1, logFile: '/s/log' });
  assert.is(env.RENDER_TILE, '1/4');
  assert.is(env.RENDER_OUTPUT, '/p/out/.tiles-j1/t1_####');
  assert.is(env.RENDER_FRAMES, '7');
  // tile 1 keeps x 32–64, y 0–18; with 4 px overscan it renders x 28–64, y 0–22 (Blender's y is up)
  assert.equal(env.RENDER_BORDER.split(',').map(Number), [28.5 / 64, 14.5 / 36, 1, 1].map((f) => Number(f.toFixed(9))));
  // the warm path applies the same border (src/warm/server.py), so a tile need not start Blender
  assert.equal((warmRequestFrom(env) as { border: number[] }).border, env.RENDER_BORDER.split(',').map(Number));
  assert.type(warmRequestFrom({ ...env, RENDER_BORDER: '0,0,2,1' }), 'string');
});

test('a job without tiles gets none of these', () => {
  const env = hookEnvironment({ spool: '/s', job: { ...job, tiles: undefined }, chunk: newChunkRecord('j1', '0006', [7]), node: 'n', attempt: 1, logFile: '/s/log' });
  assert.equal([env.RENDER_TILE, env.RENDER_BORDER, env.RENDER_OUTPUT], [undefined, undefined, '//out/f_####']);
});

test('a tile of passes (its merge denoises): RENDER_TILE_PASSES, warm or cold', () => {
  const denoised = { ...job, format: 'OPEN_EXR_MULTILAYER', tiles: { ...job.tiles!, compositor: { denoise: true, format: 'PNG' } } };
  const env = hookEnvironment({ spool: '/s', job: denoised, chunk: newChunkRecord('j1', '0006', [7]), node: 'n', attempt: 1, logFile: '/s/log' });
  assert.is(env.RENDER_TILE_PASSES, 'denoise');
  assert.is((warmRequestFrom(env) as { passes?: string }).passes, 'denoise');
  assert.match(warmRequestFrom({ ...env, RENDER_TILE_PASSES: 'some' }) as string, /RENDER_TILE_PASSES 'some'/);
  const composited = { ...denoised, tiles: { ...job.tiles!, compositor: { denoise: false, format: 'PNG' } } };
  assert.is(hookEnvironment({ spool: '/s', job: composited, chunk: newChunkRecord('j1', '0006', [7]), node: 'n', attempt: 1, logFile: '/s/log' }).RENDER_TILE_PASSES, 'all');
});

test.run();
