// The Blenders the end-to-end tests run on: RENDER_TEST_BLENDERS, a list of wrapper paths or
// `name=path` (commas or spaces between), default $BLENDER or the system `blender`. Each test that
// renders is registered once per Blender, named with it, and gated: an entry that does not run is a
// counted skip (a failure under CI=true).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { Test } from 'uvu';
import { gate } from './requires.js';

const VERSION_TIMEOUT_MS = 120_000;

export interface TestBlender {
  /** What test names carry: the entry's name, else its major.minor ("4.3"), else the path's basename. */
  name: string;
  path: string;
  /** "4.3", from `--version`; undefined when it did not run. */
  version?: string;
  /** Why it cannot run here, or null. */
  missing: string | null;
}

/** Entries of a RENDER_TEST_BLENDERS value, unprobed: `[name?, path]`. */
export function parseTestBlenders(raw: string | undefined, fallback: string): { name?: string; path: string }[] {
  const entries = (raw ?? '').split(/[\s,]+/).filter(Boolean);
  if (entries.length === 0) return [{ path: fallback }];
  return entries.map((entry) => {
    const eq = entry.indexOf('=');
    return eq > 0 ? { name: entry.slice(0, eq), path: entry.slice(eq + 1) } : { path: entry };
  });
}

function probe(entry: { name?: string; path: string }): TestBlender {
  const run = spawnSync(entry.path, ['-b', '--factory-startup', '--version'], { encoding: 'utf8', timeout: VERSION_TIMEOUT_MS });
  const version = /^Blender (\d+\.\d+)/m.exec(run.stdout ?? '')?.[1];
  const missing = version ? null : `'${entry.path} --version' did not run (apt-get install blender, or name one in RENDER_TEST_BLENDERS)`;
  return { name: entry.name ?? version ?? path.basename(entry.path), path: entry.path, version, missing };
}

let probed: TestBlender[] | undefined;

/** Every Blender named for the tests, probed once per test process. */
export function testBlenders(): TestBlender[] {
  probed ??= parseTestBlenders(process.env.RENDER_TEST_BLENDERS, process.env.BLENDER || 'blender').map(probe);
  return probed;
}

/** The first Blender named: tests that need one Blender but not each (making a scene for a unit test). */
export function firstBlender(): TestBlender {
  return testBlenders()[0];
}

/**
 * Registers `define` once per test Blender, each on `test` gated by that Blender: `define(t, blender, tag)`
 * where `tag` (" [4.3]") goes at the end of every test name.
 */
export function forEachBlender(test: Test, define: (t: Test, blender: TestBlender, tag: string) => void): void {
  for (const blender of testBlenders()) define(gate(test, `Blender ${blender.name}`, blender.missing), blender, ` [${blender.name}]`);
}

/** Two Blenders of different major.minor among the test Blenders, or why not. */
export function twoBlenderVersions(): { older: TestBlender; newer: TestBlender } | string {
  const running = testBlenders().filter((b) => b.version);
  const byVersion = [...new Map(running.map((b) => [b.version!, b])).values()].sort((a, b) => compareVersions(a.version!, b.version!));
  if (byVersion.length < 2) return `RENDER_TEST_BLENDERS names only ${running.map((b) => b.version).join(', ') || 'none that runs'}`;
  return { older: byVersion[0], newer: byVersion[byVersion.length - 1] };
}

function compareVersions(a: string, b: string): number {
  const [am, an] = a.split('.').map(Number);
  const [bm, bn] = b.split('.').map(Number);
  return am - bm || an - bn;
}
