import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SpoolLayout } from '../../src/spool/layout.js';
import { StatsTail } from '../../src/web/stats-tail.js';
import { withTempSpool } from '../support/index.js';

const line = (node: string, outcome: string, durationMs: number) => JSON.stringify({
  v: 1, job: 'j1', jobName: 'shot', owner: 'ann', chunk: '0001', frames: 1, frameSpec: '1', attempt: 1, node, host: 'h', slots: 1,
  start: '2026-01-01T00:00:00Z', end: '2026-01-01T00:00:01Z', durationMs, outcome, framesDone: 1,
}) + '\n';

test('the totals grow with the lines appended, whole lines only, and go on across a rotation', () => withTempSpool(async (temp) => {
  const dir = path.join(temp.spool, 'stats');
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, 'n1.ndjson');
  const tail = new StatsTail(new SpoolLayout(temp.spool));
  await fs.writeFile(file, line('n1', 'done', 2000) + line('n1', 'failed', 500) + '{"half a li');
  let totals = await tail.update();
  assert.is(totals.count, 1);
  assert.is(totals.failuresByNode.get('n1'), 1);
  // the half line, completed, is read once
  await fs.writeFile(file, line('n1', 'done', 2000) + line('n1', 'failed', 500) + line('n1', 'done', 4000));
  await fs.appendFile(file, 'not json\n');
  totals = await tail.update();
  assert.is(totals.count, 2);
  assert.is(totals.sumSeconds, 6);
  assert.is((await tail.update()).count, 2);
  // rotated: a new, shorter file is read from its start, and the counters keep counting
  await fs.rename(file, path.join(dir, 'n1.previous.ndjson'));
  await fs.writeFile(file, line('n1', 'done', 1000));
  totals = await tail.update();
  assert.is(totals.count, 3);
  assert.is(totals.failuresByNode.get('n1'), 1);
}));

test.run();
