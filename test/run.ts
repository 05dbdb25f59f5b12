// `npm test`: runs every uvu suite under dist/test (or the folders and files named) and closes with one plain
// 'N passed, N failed, N skipped' line, which CI reads whatever the runner.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const folders = process.argv.slice(2);
const target = folders.length ? `dist/test/(${folders.join('|')})` : 'dist/test';

// a name is a folder (`blender`) or one file without its suffix (`blender/farm-e2e`)
const child = spawn(process.execPath, [path.join(root, 'node_modules/uvu/bin.js'), folders.length ? 'dist/test' : target, folders.length ? `^(${folders.join('|')})(/.*)?\\.test\\.js$` : '\\.test\\.js$'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
let output = '';
child.stdout.on('data', (data: Buffer) => {
  process.stdout.write(data);
  output += data.toString();
});
child.on('close', (code) => {
  const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
  // CI shows only the tail of a long run: name every skip and failure again, next to the count.
  for (const skip of skipsIn(plain)) process.stdout.write(`skipped: ${skip}\n`);
  for (const failure of failuresIn(plain)) process.stdout.write(`failed: ${failure}\n`);
  const count = (label: string) => Number(new RegExp(`${label}:\\s+(\\d+)`).exec(plain)?.[1] ?? 0);
  const total = count('Total');
  const passed = count('Passed');
  const skipped = count('Skipped');
  // uvu's Total counts the tests that ran: skips are outside it
  const failed = Math.max(0, total - passed) || (code !== 0 ? 1 : 0);
  process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  process.exit(code ?? 1);
});

/** 'test — needs what: why' for each skip test/support/requires.ts printed, in order. */
function skipsIn(plain: string): string[] {
  return plain.split('\n').flatMap((line) => /^\s*SKIP (.*)$/.exec(line)?.[1] ?? []);
}

/** 'file: FAIL suite "test"' for each failure uvu printed, in order. */
function failuresIn(plain: string): string[] {
  const failures: string[] = [];
  let file = '';
  for (const line of plain.split('\n')) {
    const header = /^(\S+\.test\.js)\s*$/.exec(line.trim());
    if (header) file = header[1];
    else if (/^\s*FAIL\s/.test(line)) failures.push(`${file}: ${line.trim()}`);
  }
  return failures;
}
