// Creating and opening a spool: the directories, the format marker and the farm key.
import fs from 'node:fs/promises';
import { FarmError } from '../errors.js';
import { SpoolLayout } from './layout.js';
import { isMissing, parseJson, readInfoFile, writeFileAtomic } from './atomic.js';
import { FORMAT_VERSION } from './records.js';
import { ensureFarmKey } from '../peers/key.js';

const TOP_DIRS = ['active', 'jobs', 'nodes', 'control', 'quarantine', 'tmp', 'trash'] as const;

/** Opens the spool at `root`, creating it on first use. */
export async function openSpool(root: string): Promise<SpoolLayout> {
  const layout = new SpoolLayout(root);
  try {
    await fs.mkdir(root, { recursive: true });
    await Promise.all(TOP_DIRS.map((dir) => fs.mkdir(`${root}/${dir}`, { recursive: true })));
  } catch (error) {
    throw new FarmError('ESPOOL', `cannot create spool ${root}: ${(error as Error).message}`, { cause: error });
  }
  await checkFormat(layout);
  // the farm key is created with the spool: peers accept only messages signed with it
  await ensureFarmKey(root);
  return layout;
}

async function checkFormat(layout: SpoolLayout): Promise<void> {
  let text: string;
  try {
    text = await readInfoFile(layout.formatFile);
  } catch (error) {
    if (!isMissing(error)) throw error;
    // first use: every creator writes the same content, so a race between two is harmless
    await writeFileAtomic(layout.formatFile, JSON.stringify({ format: 'renderd-spool', v: FORMAT_VERSION }) + '\n');
    return;
  }
  const marker = parseJson(text, layout.formatFile) as { format?: unknown; v?: unknown };
  if (marker?.format !== 'renderd-spool') throw new FarmError('ESPOOL', `${layout.root} is not a renderd spool (${layout.formatFile} says otherwise)`);
  if (marker.v !== FORMAT_VERSION) throw new FarmError('ESPOOL', `spool ${layout.root} has format v${marker.v}; this renderd reads v${FORMAT_VERSION}`);
}
