// The exact Blender command line render-blender builds, checked with a stand-in Blender
// that records its arguments (the real one is exercised in blender-live.test).
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { HOOKS_DIR, makeTempDir, runHook } from './run-hook.js';

const test = suite('render-blender argv');
const RENDER = join(HOOKS_DIR, 'render-blender');
let temp: ReturnType<typeof makeTempDir>;
let blend: string;
let fakeBlender: string;
let argvFile: string;

test.before(() => {
  temp = makeTempDir('argv');
  blend = join(temp.dir, 'shot 1.blend');
  writeFileSync(blend, 'BLENDER-v304');
  argvFile = join(temp.dir, 'argv');
  fakeBlender = join(temp.dir, 'fake-blender');
  // NUL-separated, because the --python-expr argument spans lines.
  writeFileSync(fakeBlender, `#!/bin/sh\nfor a; do printf '%s\\0' "$a"; done > "$FAKE_ARGV"\necho "fake blender pid $$"\n`);
  chmodSync(fakeBlender, 0o755);
});
test.after(() => temp.remove());

function render(vars: Record<string, string>) {
  const result = runHook(RENDER, { BLENDER: fakeBlender, FAKE_ARGV: argvFile, RENDER_FILE: blend, ...vars }, temp.dir);
  const argv = result.status === 0 ? readFileSync(argvFile, 'utf8').split('\0').slice(0, -1) : [];
  return { ...result, argv };
}

/** The argv with the Python expression's text replaced by a marker, for exact comparison. */
function withoutPython(argv: string[]): string[] {
  return argv.map((arg, i) => (argv[i - 1] === '--python-expr' ? '<python>' : arg));
}

test('contiguous chunk: -s -e -j -a, after the file and the settings', () => {
  const { status, argv, stdout } = render({
    RENDER_OUTPUT: '//out/f_####', RENDER_FORMAT: 'PNG', RENDER_START: '11', RENDER_END: '20', RENDER_STEP: '1',
    RENDER_FRAME_LIST: '11 12 13 14 15 16 17 18 19 20',
  });
  assert.is(status, 0);
  assert.equal(argv, ['-b', blend, '-o', '//out/f_####', '-F', 'PNG', '-s', '11', '-e', '20', '-j', '1', '-a']);
  assert.match(stdout, `render-blender: ${fakeBlender} -b '${blend}' -o '//out/f_####' -F PNG -s '11' -e '20' -j 1 -a\n`);
  assert.match(stdout, /fake blender pid/, 'exec: the hook becomes Blender');
});

test('stepped chunk with scene, format alias and threads', () => {
  const { status, argv } = render({
    RENDER_SCENE: "Shot 'A'", RENDER_OUTPUT: 'renders/s_###', RENDER_FORMAT: 'TARGA', RENDER_THREADS: '4',
    RENDER_START: '2', RENDER_END: '10', RENDER_STEP: '2', RENDER_FRAME_LIST: '2 4 6 8 10',
  });
  assert.is(status, 0);
  assert.equal(withoutPython(argv), [
    '-b', blend, '-S', "Shot 'A'", '-o', 'renders/s_###', '-F', 'TGA', '-t', '4',
    '--python-exit-code', '2', '--python-expr', '<python>', '-s', '2', '-e', '10', '-j', '2', '-a',
  ]);
  assert.match(argv[argv.indexOf('--python-expr') + 1], 'os.environ["RENDER_SCENE"]');
});

test('non-contiguous chunk: -f with .. ranges, negative frames made absolute by a leading space', () => {
  const { status, argv } = render({ RENDER_START: '-3', RENDER_END: '12', RENDER_STEP: '0', RENDER_FRAME_LIST: '-3 -2 -1 1 5 9 10 11 12' });
  assert.is(status, 0);
  assert.equal(argv, ['-b', blend, '-f', ' -3.. -1,1,5,9..12']);
});

test('negative even run: -s and -e absolute too', () => {
  const { argv } = render({ RENDER_START: '-10', RENDER_END: '-1', RENDER_STEP: '3' });
  assert.equal(argv, ['-b', blend, '-s', ' -10', '-e', ' -1', '-j', '3', '-a']);
});

test('--no-overwrite: Blender\'s use_overwrite off, set before -a', () => {
  const { argv } = render({ RENDER_NO_OVERWRITE: '1', RENDER_START: '1', RENDER_END: '3', RENDER_STEP: '1' });
  assert.equal(withoutPython(argv), ['-b', blend, '--python-exit-code', '2', '--python-expr', '<python>', '-s', '1', '-e', '3', '-j', '1', '-a']);
  const python = argv[argv.indexOf('--python-expr') + 1];
  assert.match(python, 'scene.render.use_overwrite = False');
  assert.match(python, 'os.path.getsize(path) == 0');
});

test('RENDER_AUTOEXEC=1 (render add --enable-autoexec): -y, the file\'s scripts run', () => {
  const { argv } = render({ RENDER_AUTOEXEC: '1', RENDER_SCENE: 'S', RENDER_START: '1', RENDER_END: '1', RENDER_STEP: '1' });
  assert.equal(withoutPython(argv), ['-b', blend, '-y', '-S', 'S', '--python-exit-code', '2', '--python-expr', '<python>', '-s', '1', '-e', '1', '-j', '1', '-a']);
});

test('RENDER_NO_OVERWRITE other than 1 and empty settings add nothing', () => {
  const { argv } = render({ RENDER_AUTOEXEC: '', RENDER_NO_OVERWRITE: '', RENDER_SCENE: '', RENDER_FORMAT: '', RENDER_OUTPUT: '', RENDER_THREADS: '', RENDER_START: '5', RENDER_END: '5', RENDER_STEP: '1' });
  assert.equal(argv, ['-b', blend, '-s', '5', '-e', '5', '-j', '1', '-a']);
});

test('an unusable environment exits 2 with one line naming the variable', () => {
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ RENDER_FILE: '' }, /RENDER_FILE is not set/],
    [{ RENDER_FILE: join(temp.dir, 'missing.blend') }, /RENDER_FILE '.*missing.blend' is not a file/],
    [{ RENDER_STEP: '0' }, /RENDER_STEP is 0 and RENDER_FRAME_LIST is empty/],
    [{ RENDER_STEP: '0', RENDER_FRAME_LIST: '1 two 3' }, /RENDER_FRAME_LIST '1 two 3' is not a list of frame numbers/],
    [{ RENDER_STEP: '1', RENDER_START: '1', RENDER_END: 'x' }, /RENDER_END 'x' is not a frame number/],
    [{ RENDER_STEP: '-2', RENDER_START: '1', RENDER_END: '3' }, /RENDER_STEP '-2' is not a positive number/],
    [{ RENDER_STEP: '1', RENDER_START: '1', RENDER_END: '3', RENDER_THREADS: 'all' }, /RENDER_THREADS 'all' is not a number/],
  ];
  for (const [vars, message] of cases) {
    const { status, stderr } = render(vars);
    assert.is(status, 2, JSON.stringify(vars));
    assert.match(stderr, message);
  }
});

test.run();
