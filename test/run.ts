// `npm test`: runs every uvu suite under dist/test (or the folders named) and closes with one plain
// 'N passed, N failed, N skipped' line, which CI reads whatever the runner.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const folders = process.argv.slice(2);
const target = folders.length ? `dist/test/(${folders.join('|')})` : 'dist/test';

const child = spawn(process.execPath, [path.join(root, 'node_modules/uvu/bin.js'), folders.length ? 'dist/test' : target, folders.length ? `^(${folders.join('|')})/.*\\.test\\.js$` : '\\.test\\.js$'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
let output = '';
child.stdout.on('data', (data: Buffer) => {
  process.stdout.write(data);
  output += data.toString();
});
child.on('close', (code) => {
  const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
  // CI shows only the tail of a long run: name every failure again, next to the count.
  for (const failure of failuresIn(plain)) process.stdout.write(`failed: ${failure}\n`);
  const count = (label: string) => Number(new RegExp(`${label}:\\s+(\\d+)`).exec(plain)?.[1] ?? 0);
  const total = count('Total');
  const passed = count('Passed');
  const skipped = count('Skipped');
  const failed = Math.max(0, total - passed - skipped) || (code !== 0 && total === passed ? 1 : 0);
  process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  process.exit(code ?? 1);
});

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
