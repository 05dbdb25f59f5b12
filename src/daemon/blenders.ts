// The Blenders a node offers, asked once at start (src/blender/probe.ts): what its record advertises,
// what the finder judges jobs by, and which binary each Blender chunk's hooks get as BLENDER.
import { UsageError } from '../errors.js';
import { majorMinor, pickBlender, runsBlender, type BlenderNeeds } from '../blender/fit.js';
import { probeBlender, type ProbedBlender } from '../blender/probe.js';
import type { BlenderChoice } from './options.js';

/**
 * Probes every choice. A `--blender` named on the command line must run and be the version its label
 * says (else a UsageError: renderd exits 2); the default one may be missing (a node for exec jobs) and
 * is then offered with its version unknown, judged by nothing, as before versions were known.
 */
export async function resolveNodeBlenders(choices: readonly BlenderChoice[], explicit: boolean, log: (line: string) => void): Promise<ProbedBlender[]> {
  const probed = await Promise.all(choices.map(async (choice) => ({ choice, found: await probeBlender(choice.path) })));
  return probed.map(({ choice, found }) => {
    const flag = `--blender ${choice.label ? `${choice.label}=` : ''}${choice.path}`;
    if (found.failed || !found.version) {
      if (explicit) throw new UsageError(`${flag}: ${found.failed ?? 'it did not say which Blender it is'}`);
      log(`Blender '${choice.path}' could not be asked its version (${found.failed ?? 'no answer'}): Blender jobs are not matched to it`);
      return { path: choice.path };
    }
    const version = majorMinor(found.version);
    if (choice.label && version !== choice.label) throw new UsageError(`${flag}: that Blender is ${found.version}, not ${choice.label}`);
    return { path: found.path, version: found.version, ...(found.oidn === undefined ? {} : { oidn: found.oidn }) };
  });
}

/** What the node record advertises: versions and abilities, not this machine's paths. */
export function advertised(blenders: readonly ProbedBlender[]): { version?: string; oidn?: boolean }[] {
  return blenders.map(({ version, oidn }) => ({ ...(version ? { version } : {}), ...(oidn === undefined ? {} : { oidn }) }));
}

/** BLENDER for a chunk's hooks: the Blender picked for its job (none for a command job that needs none, or when none fits). */
export function blenderEnvFor(job: BlenderNeeds, blenders: readonly ProbedBlender[]): Record<string, string> {
  if (!runsBlender(job)) return {};
  const picked = pickBlender(job, blenders);
  return picked ? { BLENDER: picked.path } : {};
}

/** "Blenders: 4.2.3 (/opt/b42/blender), 5.2.0 (/opt/b52/blender, no OpenImageDenoise)": the start line. */
export function describeBlenders(blenders: readonly ProbedBlender[]): string {
  return blenders.map((b) => `${b.version ?? 'version unknown'} (${b.path}${b.oidn === false ? ', no OpenImageDenoise' : ''})`).join(', ');
}
