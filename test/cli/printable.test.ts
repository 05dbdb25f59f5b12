// Names go to the terminal without their escape sequences or control characters; JSON keeps them exact.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { printable } from '../../src/printable.js';
import { table } from '../../src/cli/format.js';
import { fit } from '../../src/tui/model/text.js';
import { renderJson, runRender, submitExec, withTempSpool } from '../support/index.js';

const HOSTILE = 'shot\x1b]0;owned\x07\x1b[2J\x1b[31m_010\x9b1;1H\r\n\x00\x7f\u202eevil';

test('printable: CSI, OSC, 8-bit CSI, C0, C1, DEL and bidi overrides go; the readable text stays', () => {
  assert.is(printable(HOSTILE), 'shot_010evil');
  assert.is(printable('a\x1bPq#0;1;2\x1b\\b'), 'ab', 'a DCS string');
  assert.is(printable('a\x1b7b\x1bc'), 'ab', 'two-byte escapes');
  assert.is(printable('x\x1b'), 'x', 'a lone ESC at the end');
  assert.is(printable('tab\there\nline', { lines: true }), 'tab\there\nline');
  assert.is(printable('tab\there\nline'), 'tabhereline');
  assert.is(printable('café 渲染 🎬 plain-name_1.2'), 'café 渲染 🎬 plain-name_1.2', 'printable text is untouched');
});

test('tables and the ui\'s cells measure the cleaned text', () => {
  assert.is(table([[HOSTILE, 'x']], ['NAME', 'Y']), 'NAME          Y\nshot_010evil  x');
  assert.is(fit(HOSTILE, 14), 'shot_010evil  ');
});

test('render list and show print a hostile job name cleaned; --json keeps it exact', async () => {
  await withTempSpool(async (tmp) => {
    const name = HOSTILE.replace('\x00', ''); // an argument cannot carry a NUL
    const id = await submitExec(tmp.spool, ['--name', name, '--paused'], ['true']);
    for (const args of [['list'], ['show', id]]) {
      const result = await runRender(['--spool', tmp.spool, ...args]);
      assert.is(result.code, 0, result.stderr);
      assert.match(result.stdout, 'shot_010evil');
      assert.not.match(result.stdout, /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]/, args.join(' '));
    }
    const shown = await renderJson<{ name: string }>(tmp.spool, ['show', id]);
    assert.is(shown.name, name);
  });
});

test.run();
