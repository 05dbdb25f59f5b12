// The add-on's one line for a `render` that failed (blender/cli.py's failure_line), run by the system's
// python3: cli.py imports bpy only inside functions, so it loads outside Blender.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { REPO_ROOT } from '../support/paths.js';

function failureLine(lines: string[]): string | null {
  const script = [
    'import importlib.util, json, sys',
    'spec = importlib.util.spec_from_file_location("cli", sys.argv[1])',
    'cli = importlib.util.module_from_spec(spec); spec.loader.exec_module(cli)',
    'print(json.dumps(cli.failure_line(json.loads(sys.argv[2]))))',
  ].join('\n');
  return JSON.parse(execFileSync('python3', ['-c', script, path.join(REPO_ROOT, 'blender/cli.py'), JSON.stringify(lines)], { encoding: 'utf8' }));
}

test('a user error is the one line render printed', () => {
  assert.is(failureLine(['render: --chunk: not a whole number: "x"']), 'render: --chunk: not a whole number: "x"');
});

test('a crash of Node.js is named by its error line, not by the version it ends with', () => {
  // what the add-on showed when the chroot's Node could not see the package's node_modules
  const trace = ['node:internal/modules/esm/resolve:873', '  throw new ERR_MODULE_NOT_FOUND(packageName, fileURLToPath(base), null);', '        ^', '',
    "Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'commander' imported from /p/dist/src/cli/main.js", '    at packageResolve (node:internal/modules/esm/resolve:873:9)', '', 'Node.js v20.19.2'];
  assert.is(failureLine(trace), "Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'commander' imported from /p/dist/src/cli/main.js");
});

test('nothing on stderr: no line (the caller names the exit code)', () => {
  assert.is(failureLine([]), null);
});

test.run();
