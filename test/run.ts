// `npm test`: runs each uvu file under dist/test in a process of its own (module state cannot leak from one
// file to the next), two at a time, prints each file's time, and closes with one plain
// 'N passed, N failed, N skipped' line, which CI reads whatever the runner.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fg from 'fast-glob';
import { parseRunnerArgs } from './runner/args.js';
import { orderLongestFirst, readDurations, type Durations } from './runner/durations.js';
import { pickNext, planOf, type PlannedFile } from './runner/schedule.js';
import { countsOf, failuresIn, skipsIn, type FileResult } from './runner/results.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const durationsFile = path.join(root, 'test', 'durations.json');
const options = parseRunnerArgs(process.argv.slice(2), process.env);

// a name is a folder (`blender`) or one file without its suffix (`blender/farm-e2e`)
const all = fg.sync('**/*.test.js', { cwd: path.join(root, 'dist/test') }).map((file) => file.replace(/\.test\.js$/, ''));
const chosen = options.names.length ? all.filter((name) => options.names.some((wanted) => name === wanted || name.startsWith(`${wanted}/`))) : all;
if (!chosen.length) {
  process.stderr.write(`test: no test file matches ${options.names.join(', ')}\n`);
  process.exit(2);
}
const known = readDurations(durationsFile);
// longest first, so the slowest file never starts last and leaves the other lane empty
const queue = orderLongestFirst(chosen, known).map((name) => planOf(name, readFileSync(path.join(root, 'dist/test', `${name}.test.js`), 'utf8')));
const running: PlannedFile[] = [];
const results: FileResult[] = [];
const started = Date.now();

await new Promise<void>((allDone) => {
  const startMore = (): void => {
    for (let index = pickNext(queue, running, options.jobs); index >= 0; index = pickNext(queue, running, options.jobs)) {
      const [file] = queue.splice(index, 1);
      running.push(file);
      void runFile(file.name).then(() => {
        running.splice(running.indexOf(file), 1);
        if (!queue.length && !running.length) allDone();
        else startMore();
      });
    }
  };
  startMore();
});
report();

function runFile(name: string): Promise<FileResult> {
  return new Promise((resolve) => {
    const begun = Date.now();
    const child = spawn(process.execPath, [path.join(root, 'dist/test/runner/file.js'), path.join(root, 'dist/test', `${name}.test.js`)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    child.stdout.on('data', (data: Buffer) => (output += data.toString()));
    child.stderr.on('data', (data: Buffer) => (output += data.toString()));
    const limit = setTimeout(() => {
      output += `\ntest: ${name} ran past ${options.fileTimeoutS} s, killed\n`;
      // the whole group: a file's daemons and renders must not outlive it
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ }
    }, options.fileTimeoutS * 1000);
    child.on('close', (code) => {
      clearTimeout(limit);
      const seconds = (Date.now() - begun) / 1000;
      const result: FileResult = { name, seconds, code: code ?? 1, output: output.replace(/\x1b\[[0-9;]*m/g, ''), ...countsOf(output, code ?? 1) };
      results.push(result);
      process.stdout.write(`${output.trimEnd()}\n${result.failed ? '✘' : '✔'} ${name}  ${seconds.toFixed(1)} s  (${result.passed} passed${result.failed ? `, ${result.failed} failed` : ''}${result.skipped ? `, ${result.skipped} skipped` : ''})\n\n`);
      resolve(result);
    });
  });
}

function report(): void {
  const seconds = (Date.now() - started) / 1000;
  const total = (key: 'passed' | 'failed' | 'skipped') => results.reduce((sum, result) => sum + result[key], 0);
  const slowest = [...results].sort((a, b) => b.seconds - a.seconds).slice(0, 10);
  process.stdout.write(`slowest files: ${slowest.map((result) => `${result.name} ${result.seconds.toFixed(1)} s`).join(', ')}\n`);
  process.stdout.write(`${results.length} files in ${seconds.toFixed(0)} s wall, ${options.jobs} at a time (${os.availableParallelism()} cores)\n`);
  // CI shows only the tail of a long run: name every skip and failure again, next to the count.
  for (const result of results) for (const skip of skipsIn(result.output)) process.stdout.write(`skipped: ${skip}\n`);
  for (const result of results) for (const failure of failuresIn(result)) process.stdout.write(`failed: ${failure}\n`);
  if (options.record) {
    const durations: Durations = { ...known };
    for (const result of results) durations[result.name] = Math.round(result.seconds * 10) / 10;
    writeFileSync(durationsFile, `${JSON.stringify(Object.fromEntries(Object.entries(durations).sort()), null, 1)}\n`);
  }
  const failed = total('failed');
  process.stdout.write(`\n${total('passed')} passed, ${failed} failed, ${total('skipped')} skipped\n`);
  process.exit(failed ? 1 : 0);
}
