// Which chunks the warm path takes: settings render-blender applies that the warm server does not send
// the chunk to a cold start, with the reason.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { warmRequestFrom } from '../../src/warm/request.js';

const base = { RENDER_FILE: '/p/shot.blend', RENDER_START: '1', RENDER_END: '3', RENDER_STEP: '1' };

test('a plain chunk goes warm', () => {
  const request = warmRequestFrom(base);
  assert.type(request, 'object');
  assert.equal((request as { runs: unknown }).runs, [[1, 3, 1]]);
});

for (const [name, value, reason] of [
  ['RENDER_CAMERA', 'CamB', /RENDER_CAMERA/],
  ['RENDER_VIEW_LAYER', 'Fg', /RENDER_VIEW_LAYER/],
  ['RENDER_DEVICE', 'CUDA', /RENDER_DEVICE CUDA/],
  ['RENDER_PATH_MAP', '[["/Volumes/proj","/mnt/proj"]]', /paths per machine/],
] as const) {
  test(`${name} sends the chunk to a cold start`, () => {
    const request = warmRequestFrom({ ...base, [name]: value });
    assert.type(request, 'string');
    assert.match(request as string, reason);
  });
}

test.run();
