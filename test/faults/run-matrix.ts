// `npm run faults`: every cell of the fault matrix (each fault × each filesystem that can run here), one
// after another; prints the table and writes it into docs/guarantees.md between its markers.
// FAULTS=a,b and FILESYSTEMS=x,y run a part of it (the table then holds only that part).
import fs from 'node:fs';
import path from 'node:path';
import { canUnsharePids, REPO_ROOT } from '../support/index.js';
import { FAULTS } from './faults.js';
import { FILESYSTEMS } from './filesystems.js';
import { cellFellShort, runCell, type CellResult } from './cell.js';
import { renderMatrix } from './table.js';

const pick = <T extends { name: string }>(all: T[], env: string | undefined) => (env ? all.filter((x) => env.split(',').includes(x.name)) : all);
const faults = pick(FAULTS, process.env.FAULTS);
const kinds = pick(FILESYSTEMS, process.env.FILESYSTEMS);
const DOC = path.join(REPO_ROOT, 'docs', 'guarantees.md');
const BEGIN = '<!-- fault-matrix:begin -->';
const END = '<!-- fault-matrix:end -->';

const results: CellResult[] = [];
const skipped = new Map<string, string>();
for (const kind of kinds) {
  const why = kind.unavailable() ?? (canUnsharePids() ? null : 'cannot make pid namespaces');
  if (why) {
    skipped.set(kind.name, why);
    console.log(`${kind.name}: skipped — ${why}`);
    continue;
  }
  for (const fault of faults) {
    if (fault.needs && !kind.offers.includes(fault.needs)) continue;
    const result = await runCell(kind, fault).catch((error: Error) => ({ fs: kind.name, fault: fault.name, overlapS: 0, lost: 0, unended: 1, died: [], rerun: 0, seconds: 0, logs: error.message }));
    results.push(result);
    console.log(`${kind.name} × ${fault.name}: overlap ${result.overlapS.toFixed(1)} s, ${result.lost} lost, ${result.unended} unended, died [${result.died.join(', ')}], ${result.rerun} re-run, ${result.seconds} s${cellFellShort(result) ? `\n${result.logs}` : ''}`);
  }
}

const table = renderMatrix(faults, kinds.map((k) => k.name), results, skipped);
console.log(`\n${table}`);
const doc = fs.readFileSync(DOC, 'utf8');
const begin = doc.indexOf(BEGIN);
const end = doc.indexOf(END);
if (begin >= 0 && end > begin) fs.writeFileSync(DOC, `${doc.slice(0, begin + BEGIN.length)}\n${table}\n${doc.slice(end)}`);
const short = results.filter(cellFellShort).length;
console.log(`\n${results.length - short} passed, ${short} failed, ${skipped.size} skipped`);
process.exit(short ? 1 : 0);
