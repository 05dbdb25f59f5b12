// A warm Blender's stdout cut into Blender's lines and the server's marks, whatever the cut of the bytes:
// the newline the server prints before each mark never shows, and never hides a line Blender left open.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { initialWarmStdout, keepStartupTail, splitWarmStdout, startupFailure, WARM_MARK, type WarmPiece } from '../../src/warm/output.js';

const END = `\n${WARM_MARK}END 3 0\n`;

/** Every piece, with the bytes fed in the given cuts. */
function pieces(...cuts: string[]): WarmPiece[] {
  let state = initialWarmStdout();
  const all: WarmPiece[] = [];
  for (const cut of cuts) {
    const out = splitWarmStdout(state, cut);
    state = out.state;
    all.push(...out.pieces);
  }
  return all;
}

const CASES: [string, string[], WarmPiece[]][] = [
  ['a complete last line: the server\'s newline is dropped', ['Saved: \'/o/f_0001.png\'\n', END], [{ line: 'Saved: \'/o/f_0001.png\'\n' }, { mark: ['END', '3', '0'] }]],
  ['an unterminated last line: ended by the server\'s newline, the mark still seen', ['Fra:1 Mem:9M', END], [{ line: 'Fra:1 Mem:9M\n' }, { mark: ['END', '3', '0'] }]],
  ['Blender\'s own empty lines are kept', ['a\n\n\nb\n\n', END], [{ line: 'a\n' }, { line: '\n' }, { line: '\n' }, { line: 'b\n' }, { line: '\n' }, { mark: ['END', '3', '0'] }]],
  ['cut anywhere, even inside the mark', ['a\n', '\n', WARM_MARK.slice(0, 4), `${WARM_MARK.slice(4)}END 3 0 last\n`], [{ line: 'a\n' }, { mark: ['END', '3', '0', 'last'] }]],
  ['the ready mark after a loading line left open', ['Read blend', `\n${WARM_MARK}READY /p/a.blend\n`], [{ line: 'Read blend\n' }, { mark: ['READY', '/p/a.blend'] }]],
];

for (const [name, cuts, expected] of CASES) test(name, () => assert.equal(pieces(...cuts), expected));

test('an empty line held at the end of a chunk of bytes waits for the next line', () => {
  const first = splitWarmStdout(initialWarmStdout(), 'x\n\n');
  assert.equal(first.pieces, [{ line: 'x\n' }]);
  assert.equal(splitWarmStdout(first.state, 'y\n').pieces, [{ line: '\n' }, { line: 'y\n' }]);
});

test('a Blender that dies loading is named by Python\'s error, cut anywhere, not by the lines after it', () => {
  // what Debian's 4.3 prints when the server script is not there (a chroot that does not see the package)
  const cuts = ['could not get a list of mounted file-systems\nOSError: Python file "/p/libexec/warm-', 'server.py" could not be opened: No such file or directory\n', '\nError: script failed, file: \'/p/libexec/warm-server.py\', exiting.\n'];
  const tail = cuts.reduce(keepStartupTail, '');
  assert.is(startupFailure(tail), 'OSError: Python file "/p/libexec/warm-server.py" could not be opened: No such file or directory');
});

test('only the tail is kept, a line cut at its start is not named, and silence says nothing', () => {
  const tail = keepStartupTail('', Array.from({ length: 500 }, (_, i) => `line ${i}`).join('\n'));
  assert.ok(tail.length < 4096);
  assert.is(startupFailure(tail), 'line 499');
  assert.is(startupFailure(keepStartupTail('', `${'x'.repeat(3000)}error half\nlast`)), 'last');
  assert.is(startupFailure(''), undefined);
  assert.is(startupFailure('\n\n'), undefined);
});

test.run();
