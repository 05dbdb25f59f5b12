// This machine's tools: the Blender hooks run, and Perl for the hook launcher.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ok, warn, type Check } from './check.js';

export function blenderVerdict(command: string, version: string | undefined): Check {
  if (!version) {
    return warn('machine.blender', `no Blender runs as '${command}'`,
      'Blender jobs fail on this machine: apt-get install blender, or set BLENDER=/path/to/blender for renderd (Environment= in its unit)');
  }
  return ok('machine.blender', `${version} (${command})`);
}

export function perlVerdict(version: string | undefined): Check {
  if (!version) {
    return warn('machine.perl', 'no /usr/bin/perl or /bin/perl',
      'renderd starts hooks through a small Perl launcher that kills them if renderd dies; without it hooks can outlive a crashed node: apt-get install perl-base');
  }
  return ok('machine.perl', version);
}

export function perlVersion(): Promise<string | undefined> {
  const perl = ['/usr/bin/perl', '/bin/perl'].find((p) => existsSync(p));
  if (!perl) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    execFile(perl, ['-e', 'printf "perl %vd", $^V'], { timeout: 10_000, encoding: 'utf8' }, (error, stdout) => resolve(error ? undefined : stdout.trim()));
  });
}
