// A node's answer to `render doctor`: whether its own listing of the spool's tmp/ shows the doctor's
// probe file yet (how stale a listing seen from here can be), and its Blenders. The probe name is only
// compared with the names listed; nothing else is done with it.
import fs from 'node:fs/promises';
import type { BodyByType } from '../peers/index.js';
import type { SpoolLayout } from '../spool/layout.js';
import { blenderVersion } from '../blender/version.js';
import { sleep } from '../liveness/clock.js';
import type { OfferedBlender } from '../blender/fit.js';

/** Well inside the peer server's 5 s per request. */
const BLENDER_WAIT_MS = 2000;

export async function answerDoctor(layout: SpoolLayout, probe: string | undefined, blenders: readonly OfferedBlender[] = []): Promise<BodyByType['doctor-reply']> {
  const body: BodyByType['doctor-reply'] = {};
  if (probe) body.probeSeen = (await fs.readdir(layout.tmp).catch(() => [] as string[])).includes(probe);
  // the Blenders asked at start (--blender): every one it offers, and what it lacks
  const known = blenders.filter((b) => b.version);
  if (known.length) {
    body.blender = known.map((b) => `Blender ${b.version}${b.oidn === false ? ' (no OpenImageDenoise)' : ''}`).join(', ');
    return body;
  }
  // asking Blender can take longer than a peer request may: answer without it until it is known
  const blender = await Promise.race([blenderVersion().then((v) => v ?? ''), sleep(BLENDER_WAIT_MS).then(() => undefined)]);
  if (blender !== undefined) body.blender = blender;
  return body;
}
