// What a tiled still needs after its merge, from what the file says: pure, no Blender.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mergeCompositor, mergeNeedsOidn } from '../../src/tiles/scene-check.js';
import { blendersMisfit, runsBlender } from '../../src/blender/fit.js';
import { compositeArgv } from '../../src/tiles/composite.js';

const glare = { idname: 'CompositorNodeGlare', name: 'Bloom' };
const denoiseNode = { idname: 'CompositorNodeDenoise', name: 'Denoise' };

test('nothing to finish: no denoising, pixel-local nodes only', () => {
  assert.is(mergeCompositor({ scene: 'S', denoiser: 'off', nodes: [{ idname: 'CompositorNodeCurveRGB', name: 'c' }], format: 'PNG' }), undefined);
  assert.is(mergeCompositor({ scene: 'S', denoiser: 'off', nodes: [{ ...glare, muted: true }], format: 'PNG' }), undefined);
});

test('denoising (OIDN) or an edge-reading node: the merge finishes the frame, in the job format', () => {
  assert.equal(mergeCompositor({ scene: 'S', denoiser: 'oidn', nodes: [], format: 'PNG' }), { denoise: true, format: 'PNG' });
  assert.equal(mergeCompositor({ scene: 'S', denoiser: 'off', nodes: [glare], format: 'OPEN_EXR' }), { denoise: false, format: 'OPEN_EXR' });
});

test('refused in one line: OptiX, and a multilayer EXR of a finished frame', () => {
  assert.throws(() => mergeCompositor({ scene: 'S', denoiser: 'optix', nodes: [], format: 'PNG' }), /scene 'S' denoises with OptiX/);
  assert.throws(() => mergeCompositor({ scene: 'S', denoiser: 'off', nodes: [glare], format: 'OPEN_EXR_MULTILAYER' }), /Glare \('Bloom'\) node reads pixels across tile edges, so the merge/);
});

test('the merge needs OpenImageDenoise to denoise, or for a Denoise node it runs', () => {
  assert.ok(mergeNeedsOidn({ denoise: true, format: 'PNG' }, []));
  assert.ok(mergeNeedsOidn({ denoise: false, format: 'PNG' }, [denoiseNode]));
  assert.not.ok(mergeNeedsOidn({ denoise: false, format: 'PNG' }, [glare]));
  assert.not.ok(mergeNeedsOidn(undefined, [denoiseNode]));
});

test('a command job marked as running Blender is judged by its needs: a node without OpenImageDenoise does not take a denoising merge', () => {
  assert.ok(runsBlender({ kind: 'exec', runsBlender: true }));
  assert.not.ok(runsBlender({ kind: 'exec', needsOidn: true }));
  assert.match(blendersMisfit({ kind: 'exec', runsBlender: true, needsOidn: true }, [{ version: '3.4.1', oidn: false }]) ?? '', /OpenImageDenoise/);
  assert.is(blendersMisfit({ kind: 'exec', needsOidn: true }, [{ version: '3.4.1', oidn: false }]), null);
});

test("the merge's Blender: the file first, then the scene, then the script and its arguments", () => {
  const argv = compositeArgv({ blender: 'blender', file: '/p/s.blend', scene: 'S', merged: '/o/m.exr', output: '/o/f.png' }, { denoise: true, format: 'PNG' });
  assert.equal(argv.slice(0, 4), ['-b', '/p/s.blend', '-S', 'S']);
  assert.equal(argv.slice(-5), ['--', '/o/m.exr', '/o/f.png', '1', 'PNG']);
});

test.run();
