// Issue 24: the fault matrix in the test suite — each fault once, on the filesystem where it bites
// hardest (all cells: `npm run faults`, which writes the table in docs/guarantees.md). A cell passes
// with 0 s of overlap, 0 chunks lost, its job ended and no node dead of the fault.
// test-runner: needs glusterd moosefs
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { canUnsharePids, withTimeout } from '../support/index.js';
import { FAULTS } from './faults.js';
import { FILESYSTEMS } from './filesystems.js';
import { cellFellShort, runCell } from './cell.js';
import { gate } from '../support/requires.js';

const CELL_TIMEOUT_MS = 300_000;

// FAULTS=name,name runs only those (while working on one)
const only = process.env.FAULTS?.split(',');

const cells = FAULTS.filter((f) => !only || only.includes(f.name))
  .flatMap((fault) => [fault.hardest, ...(fault.alsoOn ?? [])].map((fs) => ({ fault, kind: FILESYSTEMS.find((k) => k.name === fs)! })));

for (const { fault, kind } of cells) {
  // a filesystem that cannot run here is a counted skip (a failure under CI=true, which installs them all)
  const cell = gate(test, kind.name, kind.unavailable() ?? (canUnsharePids() ? null : 'cannot make pid namespaces'));
  cell(`fault ${fault.name} on ${kind.name}: ${fault.what}`, async () => {
    const result = await withTimeout(CELL_TIMEOUT_MS, `fault ${fault.name}`, () => runCell(kind, fault));
    console.log(`    fault ${fault.name} on ${kind.name}: overlap ${result.overlapS.toFixed(1)} s, ${result.lost} lost, ${result.unended} unended, died [${result.died.join(', ')}], ${result.rerun} re-run, ${result.seconds} s`);
    assert.not.ok(cellFellShort(result), result.logs);
  });
}

test.run();
