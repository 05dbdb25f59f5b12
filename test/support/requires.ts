// Tests that need a real component this machine may lack (Blender, root, FUSE, GlusterFS, namespaces,
// a second Blender): gated here, so a missing one is a counted skip with its reason — or, under CI=true,
// where .ci/run installs everything, a failed test naming what is missing. Never a silent pass.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import type { Test } from 'uvu';

/** CI installs every component: a missing one there is a broken machine, not a reason to skip. */
export const IN_CI = process.env.CI === 'true';

/** uvu's line parsed by test/run.ts, which lists every skip again at the end. */
export const SKIP_MARK = 'SKIP';

/**
 * `test` when `missing` is null; else a stand-in with the same calls whose tests are counted as
 * skipped (printing why), or under CI=true fail with `needs <what>: <missing>`. Hooks of a gated
 * suite are dropped with its tests, so a before() that starts the missing thing never runs.
 * `failInCi: false` for what a machine may have that stops a test (a sendmail, a running systemd).
 */
export function gate<T>(test: Test<T>, what: string, missing: string | null, { failInCi = true } = {}): Test<T> {
  if (missing === null) return test;
  const standIn = ((name: string): void => {
    if (IN_CI && failInCi) test(name, () => { throw new Error(`needs ${what} (CI=true: nothing may be skipped): ${missing}`); });
    else {
      console.log(`  ${SKIP_MARK} ${name} — needs ${what}: ${missing}`);
      test.skip();
    }
  }) as unknown as Test<T>;
  const ignore = Object.assign(() => {}, { each: () => {} });
  return Object.assign(standIn, { before: ignore, after: ignore, only: standIn, skip: test.skip, run: test.run });
}

/** Why `command` cannot run here (absent from the PATH), or null. */
export function missingCommand(command: string, install: string): string | null {
  const found = spawnSync('sh', ['-c', `command -v '${command}'`], { stdio: 'ignore' }).status === 0;
  return found ? null : `${command} is not installed (${install}; .ci/run does)`;
}

/** Null as root, else why a test needs it. */
export function missingRoot(why: string): string | null {
  return process.getuid?.() === 0 ? null : `not root (${why})`;
}

/** Null when FUSE mounts can work here. */
export function missingFuse(): string | null {
  return fs.existsSync('/dev/fuse') ? null : 'no /dev/fuse in this machine (FUSE mounts impossible)';
}

/** The first reason of several, or null when none is missing. */
export function firstMissing(...reasons: (string | null | (() => string | null))[]): string | null {
  for (const reason of reasons) {
    const found = typeof reason === 'function' ? reason() : reason;
    if (found !== null) return found;
  }
  return null;
}
