// The nodes/ directory: every node's registration and heartbeat, and control/ requests for it.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { SpoolLayout } from '../spool/layout.js';
import { isMissing, listNames, readInfoFile, writeFileAtomic } from '../spool/atomic.js';
import { parseControlRecord, parseNodeRecord, serialize, FORMAT_VERSION, type NodeControlRecord, type NodeRecord } from '../spool/records.js';
import { quarantineFile, type Log } from '../spool/quarantine.js';
import { SpoolFormatError } from '../errors.js';

export async function readNodeRecords(layout: SpoolLayout, log: Log): Promise<Map<string, NodeRecord>> {
  const names = (await listNames(layout.nodes)).filter((n) => n.endsWith('.json') && !n.startsWith('.'));
  return readRecordFiles(layout, names, log);
}

/** The records of the nodes named (those missing are left out), without listing nodes/. */
export async function readNodeRecordsOf(layout: SpoolLayout, nodes: Iterable<string>, log: Log): Promise<Map<string, NodeRecord>> {
  return readRecordFiles(layout, [...new Set(nodes)].map((node) => `${node}.json`), log);
}

async function readRecordFiles(layout: SpoolLayout, names: string[], log: Log): Promise<Map<string, NodeRecord>> {
  const records = new Map<string, NodeRecord>();
  await Promise.all(names.map(async (name) => {
    const file = path.join(layout.nodes, name);
    try {
      const record = parseNodeRecord(await readInfoFile(file), file);
      if (`${record.name}.json` !== name) throw new SpoolFormatError(file, `names node ${record.name}`);
      records.set(record.name, record);
    } catch (error) {
      if (isMissing(error)) return;
      if (error instanceof SpoolFormatError) await quarantineFile(layout, file, error.message, log);
      else throw error;
    }
  }));
  return records;
}

export async function writeNodeRecord(layout: SpoolLayout, record: NodeRecord): Promise<void> {
  await writeFileAtomic(layout.nodeFile(record.name), serialize(record));
}

/** Removes our record on a clean exit, unless a newer instance has taken the name. */
export async function removeNodeRecord(layout: SpoolLayout, name: string, instance: string): Promise<void> {
  try {
    const current = parseNodeRecord(await readInfoFile(layout.nodeFile(name)), layout.nodeFile(name));
    if (current.instance === instance) await fs.rm(layout.nodeFile(name), { force: true });
  } catch (error) {
    if (!isMissing(error) && !(error instanceof SpoolFormatError)) throw error;
  }
}

export async function readNodeControl(layout: SpoolLayout, node: string, log: Log): Promise<NodeControlRecord | null> {
  const file = layout.controlFile(node);
  try {
    return parseControlRecord(await readInfoFile(file), file);
  } catch (error) {
    if (isMissing(error)) return null;
    if (error instanceof SpoolFormatError) {
      await quarantineFile(layout, file, error.message, log);
      return null;
    }
    throw error;
  }
}

export async function writeNodeControl(layout: SpoolLayout, node: string, state: NodeControlRecord['state']): Promise<void> {
  await writeFileAtomic(layout.controlFile(node), serialize({ v: FORMAT_VERSION, state }));
}
