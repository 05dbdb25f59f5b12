// The page is served as plain ES modules: every import of every page module, resolved as the browser
// resolves it from /app/<file>, must be a URL the server routes and a file it has. The modules it shares
// with the CLI (src/text) import nothing, so they load in the browser as they are.
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decideRoute } from '../../src/web/routes.js';
import { SCRIPTS_DIR, SHARED_DIR } from '../../src/web/page-files.js';

const IMPORT = /(?:^|;|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|;|\n)\s*import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

async function importsOf(file: string): Promise<string[]> {
  const text = await fs.readFile(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3]);
}

test('every import of a page module is a URL the server routes to a file that exists', async () => {
  const pages = (await fs.readdir(SCRIPTS_DIR)).filter((name) => name.endsWith('.js'));
  assert.ok(pages.includes('main.js') && pages.includes('filter.js'), pages.join(', '));
  let shared = 0;
  for (const page of pages) {
    for (const specifier of await importsOf(path.join(SCRIPTS_DIR, page))) {
      const url = new URL(specifier, `http://farm/app/${page}`).pathname;
      const decision = decideRoute('GET', url);
      assert.ok(decision.ok && decision.route.kind === 'page', `${page} imports ${specifier} (${url}): not a page route`);
      const file = (decision as { route: { file: string } }).route.file;
      const onDisk = file.startsWith('app/') ? path.join(SCRIPTS_DIR, file.slice(4)) : path.join(SHARED_DIR, file.slice(5));
      await fs.access(onDisk).catch(() => assert.unreachable(`${page} imports ${specifier}: ${onDisk} is not there`));
      if (file.startsWith('text/')) shared++;
    }
  }
  assert.ok(shared >= 3, `the page shares the glob, duration and size modules (${shared} imports)`);
});

test('the shared text modules import nothing', async () => {
  for (const name of (await fs.readdir(SHARED_DIR)).filter((n) => n.endsWith('.js') && n !== 'index.js')) {
    assert.equal(await importsOf(path.join(SHARED_DIR, name)), [], name);
  }
});

test('only text/<name>.js is served beside the page: no other folder, no climbing', () => {
  assert.equal(decideRoute('GET', '/text/glob.js'), { ok: true, route: { kind: 'page', file: 'text/glob.js' } });
  for (const url of ['/jobs/build.js', '/text/../cli/main.js', '/text/Glob.js', '/text/sub/glob.js', '/text/glob.ts']) {
    assert.is(decideRoute('GET', url).ok, false, url);
  }
});

test.run();
