// The dashboard ships built: the npm package holds the page's compiled modules and its static files,
// where page-files.ts looks for them.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { REPO_ROOT } from '../support/index.js';
import { SCRIPTS_DIR, STATIC_DIR } from '../../src/web/page-files.js';

test('the package holds the page: index.html, style.css and every compiled module', () => {
  const out = execFileSync('npm', ['pack', '--dry-run', '--ignore-scripts', '--json'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'ignore'] });
  const shipped = new Set((JSON.parse(out) as { files: { path: string }[] }[])[0].files.map((f) => f.path));
  assert.ok(shipped.has('src/web/static/index.html'));
  assert.ok(shipped.has('src/web/static/style.css'));
  const modules = fs.readdirSync(SCRIPTS_DIR).filter((n) => n.endsWith('.js'));
  assert.ok(modules.includes('main.js'));
  for (const name of modules) assert.ok(shipped.has(`dist/src/web/page/${name}`), name);
  assert.is(path.relative(REPO_ROOT, STATIC_DIR), 'src/web/static');
});

test('the page\'s modules import only each other and src/text (served at /text/): the server serves nothing else to a browser', () => {
  for (const name of fs.readdirSync(SCRIPTS_DIR).filter((n) => n.endsWith('.js'))) {
    const imports = [...fs.readFileSync(path.join(SCRIPTS_DIR, name), 'utf8').matchAll(/^\s*(?:import|export)\b[^'"]*from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]);
    for (const target of imports) assert.match(target, /^(\.\/|\.\.\/\.\.\/text\/)[a-z][a-z0-9-]*\.js$/, `${name} imports ${target}`);
  }
});

test.run();
