// The matrix's overlap measure: pairs of attempts of one chunk, by the ledger's times, less the spells a
// whole machine was frozen (its renders ran nothing then).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { overlapSeconds } from './cell.js';
import type { Attempt } from '../support/index.js';

const attempt = (node: string, attemptNo: number, fromS: number, toS: number): Attempt =>
  ({ job: 'j', chunk: '0001', attempt: attemptNo, node, pid: 1, first: 0, last: 0, firstUs: fromS * 1e6, lastUs: toS * 1e6, completed: true });

test('overlap: apart 0, nested and crossing counted, other chunks apart', () => {
  assert.is(overlapSeconds([attempt('a', 1, 0, 10), attempt('b', 2, 12, 15)]), 0);
  assert.is(overlapSeconds([attempt('a', 1, 0, 10), attempt('b', 2, 8, 15)]), 2);
  assert.is(overlapSeconds([attempt('a', 1, 0, 30), attempt('b', 2, 12, 15)]), 3);
  assert.is(overlapSeconds([attempt('a', 1, 0, 30), { ...attempt('b', 1, 12, 15), chunk: '0002' }]), 0);
});

test('overlap: a frozen machine\'s spell is left out, what it did once resumed is not', () => {
  const frozen = [{ node: 'a', fromUs: 1e6, toUs: 25e6 }];
  assert.is(overlapSeconds([attempt('a', 1, 0, 25.01), attempt('b', 2, 16, 19)], frozen), 0);
  const resumedOver = overlapSeconds([attempt('a', 1, 0, 25.5), attempt('b', 2, 16, 30)], frozen);
  assert.ok(Math.abs(resumedOver - 0.5) < 1e-9, String(resumedOver));
});

test.run();
