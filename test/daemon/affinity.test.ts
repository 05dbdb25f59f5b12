// Affinity: a node prefers chunks of a job it has a warm Blender for, within one priority level only.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { preferWarm } from '../../src/daemon/affinity.js';
import type { ActiveEntry } from '../../src/jobs/active.js';

const entry = (job: string, priority: number): ActiveEntry => ({ job, priority, paused: false, name: `${job}.p${priority}` });

// [case, claim order as job:priority, warm jobs, expected order]
const TABLE: [string, string, string[], string][] = [
  ['nothing warm: unchanged', 'a:5 b:5 c:0', [], 'a b c'],
  ['warm job first within its level', 'a:5 b:5 c:5', ['c'], 'c a b'],
  ['priority wins across levels', 'a:5 b:0', ['b'], 'a b'],
  ['each level reordered on its own', 'a:5 b:5 c:0 d:0', ['b', 'd'], 'b a d c'],
  ['two warm jobs keep their order', 'a:1 b:1 c:1', ['c', 'b'], 'b c a'],
  ['warm job not active: no effect', 'a:1 b:1', ['z'], 'a b'],
];

for (const [name, order, warm, expected] of TABLE) {
  test(name, () => {
    const entries = order.split(' ').map((s) => { const [job, p] = s.split(':'); return entry(job, Number(p)); });
    assert.is(preferWarm(entries, new Set(warm)).map((e) => e.job).join(' '), expected);
  });
}

test.run();
