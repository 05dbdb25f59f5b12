// Which chunks the warm path takes: settings render-blender applies that the warm server does not send
// the chunk to a cold start, with the reason.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatArg, warmArgv, warmRequestFrom, type WarmRequest } from '../../src/warm/request.js';

const base = { RENDER_FILE: '/p/shot.blend', RENDER_START: '1', RENDER_END: '3', RENDER_STEP: '1' };

test('a plain chunk goes warm', () => {
  const request = warmRequestFrom(base);
  assert.type(request, 'object');
  assert.equal((request as { runs: unknown }).runs, [[1, 3, 1]]);
});

test('camera, view layer and autoexec are served warm', () => {
  const request = warmRequestFrom({ ...base, RENDER_CAMERA: 'CamB', RENDER_VIEW_LAYER: 'Fg', RENDER_AUTOEXEC: '1' }) as WarmRequest;
  assert.equal([request.camera, request.viewLayer, request.autoexec], ['CamB', 'Fg', true]);
  assert.is((warmRequestFrom(base) as WarmRequest).autoexec, false);
});

test('the warm Blender is started with render-blender\'s -S, -F, -t and -y, so Blender applies them itself', () => {
  const request = { blender: 'blender', file: '/p/a.blend', scene: 'Shot', format: 'targa', threads: '4', autoexec: true };
  assert.equal(warmArgv(request, '/pkg/libexec/warm-server.py', '/run/w.sock'), ['blender', '-b', '/p/a.blend', '-y', '-S', 'Shot', '-F', 'TGA', '-t', '4',
    '--python-exit-code', '2', '--python', '/pkg/libexec/warm-server.py', '--', '/run/w.sock', 'targa']);
  assert.equal(warmArgv({ ...request, scene: '', format: '', threads: '', autoexec: false }, 's.py', 'w.sock'),
    ['blender', '-b', '/p/a.blend', '--python-exit-code', '2', '--python', 's.py', '--', 'w.sock', '']);
});

test('-F names as render-blender\'s format_arg gives them', () => {
  assert.equal(['TARGA', 'targa_raw', 'JPEG2000', 'open_exr', 'PNG'].map(formatArg), ['TGA', 'RAWTGA', 'JP2', 'OPEN_EXR', 'PNG']);
});

for (const [name, value, reason] of [
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
