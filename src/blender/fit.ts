// Which of a node's Blenders can render a job (issue 25): a Blender opens files saved by its own
// major.minor and older ones, not newer ones (5.x files fail to load on 3.4); a job pinned with
// `render add --blender 4.5` runs only on 4.5; a scene that denoises with OpenImageDenoise needs a build
// that has it (Debian's 3.4 has not). Pure: versions in, choice or reason out.

/** A Blender a node offers, as it advertises it: version undefined when it could not be asked (fits any job). */
export interface OfferedBlender {
  /** "4.3.2", as `bpy.app.version_string` says. */
  version?: string;
  /** Whether its Cycles has OpenImageDenoise; undefined when unknown. */
  oidn?: boolean;
}

/** What a Blender job asks of the Blender that renders it (fields of its record). */
export interface BlenderNeeds {
  kind?: string;
  /** major.minor of the Blender that saved the file ("4.3"). */
  blenderNeeds?: string;
  /** major.minor the job must run on (`render add --blender`). */
  blenderPin?: string;
  /** The scene denoises with OpenImageDenoise. */
  needsOidn?: boolean;
  /** A command job that runs Blender (a tiled still's merge that finishes the frame in it). */
  runsBlender?: boolean;
}

const MAJOR_MINOR = /^(\d+)\.(\d+)/;

/** "4.3.2" → "4.3", "2.93.1" → "2.93" (as the .blend header reader writes them); undefined for anything else. */
export function majorMinor(version: string): string | undefined {
  const match = MAJOR_MINOR.exec(version);
  return match ? `${match[1]}.${match[2]}` : undefined;
}

/** Orders "3.4" < "4.3" < "4.10" < "5.2" (2.x minors were two digits: "2.48" < "2.80"). */
export function compareVersions(a: string, b: string): number {
  const [am, an] = (MAJOR_MINOR.exec(a) ?? ['', '0', '0']).slice(1).map(Number);
  const [bm, bn] = (MAJOR_MINOR.exec(b) ?? ['', '0', '0']).slice(1).map(Number);
  return am - bm || an - bn;
}

/** What the job needs, as the one-line reasons say it: "Blender ≥ 5.2", "Blender 4.5". */
export function describeNeed(job: BlenderNeeds): string {
  if (job.blenderPin) return `Blender ${job.blenderPin}`;
  return job.blenderNeeds ? `Blender ≥ ${job.blenderNeeds}` : 'Blender';
}

/** Why `blender` cannot render `job`, or null when it can. */
export function blenderMisfit(job: BlenderNeeds, blender: OfferedBlender): string | null {
  const version = blender.version === undefined ? undefined : majorMinor(blender.version);
  if (version !== undefined) {
    if (job.blenderPin && compareVersions(version, job.blenderPin) !== 0) return `needs ${describeNeed(job)}`;
    if (job.blenderNeeds && compareVersions(version, job.blenderNeeds) < 0) return `needs ${describeNeed(job)}`;
  }
  if (job.needsOidn && blender.oidn === false) return 'needs a Blender with OpenImageDenoise (the scene denoises with it)';
  return null;
}

/**
 * The Blender that renders `job` among `offered`: of those that fit, the oldest — closest to the one
 * that saved the file, so the farm renders what the artist saw; one whose version is unknown comes last.
 */
export function pickBlender<T extends OfferedBlender>(job: BlenderNeeds, offered: readonly T[]): T | undefined {
  const fitting = offered.filter((b) => blenderMisfit(job, b) === null);
  const known = fitting.filter((b) => b.version !== undefined).sort((a, b) => compareVersions(a.version!, b.version!));
  return known[0] ?? fitting[0];
}

/** Blender jobs, and a command job marked as running Blender: a tiled still's merge that finishes the frame. */
export function runsBlender(job: BlenderNeeds): boolean {
  return job.kind === 'blender' || job.runsBlender === true;
}

/** Why a node offering `offered` cannot render `job` (null: it can; undefined offer: an older renderd, not judged). */
export function blendersMisfit(job: BlenderNeeds, offered: readonly OfferedBlender[] | undefined): string | null {
  if (!runsBlender(job) || offered === undefined) return null;
  if (offered.length === 0) return 'node has no Blender';
  if (pickBlender(job, offered)) return null;
  return offered.map((b) => blenderMisfit(job, b)).find((reason) => reason !== null) ?? null;
}

/** "3.4, 4.3": the major.minor versions the nodes offer, oldest first ("?" for one not known). */
export function offeredVersions(offers: readonly (readonly OfferedBlender[] | undefined)[]): string {
  const versions = new Set<string>();
  for (const offer of offers) for (const b of offer ?? []) versions.add(b.version === undefined ? '?' : majorMinor(b.version) ?? '?');
  return [...versions].sort((a, b) => (a === '?' ? 1 : b === '?' ? -1 : compareVersions(a, b))).join(', ') || 'none';
}
