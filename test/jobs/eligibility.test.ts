// Which jobs a node may take (pool, tags, memory), the blocklist with its escape hatch, and failure
// markers counted per node: table tests of pure rules.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BLOCKLIST_FAILURES, countFailuresByNode, isBlocklisted, staticMismatch, type NodeTraits } from '../../src/jobs/eligibility.js';
import type { JobRecord } from '../../src/spool/records.js';

const GiB = 1024 ** 3;
type Wants = Partial<Pick<JobRecord, 'pool' | 'tags' | 'minRamBytes'>>;
const job = (wants: Wants) => ({ id: 'j1', ...wants }) as unknown as JobRecord;
const node = (traits: Partial<NodeTraits> = {}): NodeTraits => ({ name: 'n1', tags: [], memTotalBytes: 16 * GiB, ...traits });

// [case, job wants, node has, null when the node may run it, else a pattern of the reason]
const MATCHES: [string, Wants, Partial<NodeTraits>, RegExp | null][] = [
  ['no constraints, plain node', {}, {}, null],
  ['no constraints, node in a pool', {}, { pool: 'gpu' }, null],
  ['pool gpu on a gpu node', { pool: 'gpu' }, { pool: 'gpu' }, null],
  ['pool gpu on a node with no pool', { pool: 'gpu' }, {}, /pool gpu/],
  ['pool gpu on a cpu node', { pool: 'gpu' }, { pool: 'cpu' }, /pool gpu/],
  ['pool names are exact (case)', { pool: 'gpu' }, { pool: 'GPU' }, /pool gpu/],
  ['tags a,b on a node with a,b', { tags: ['a', 'b'] }, { tags: ['a', 'b'] }, null],
  ['tags a,b on a node with more', { tags: ['a', 'b'] }, { tags: ['c', 'b', 'a'] }, null],
  ['tags a,b on a node with a only', { tags: ['a', 'b'] }, { tags: ['a'] }, /tag\(s\) b$/],
  ['tags a,b on a node with none', { tags: ['a', 'b'] }, {}, /tag\(s\) a, b/],
  ['empty tag list', { tags: [] }, {}, null],
  ['min-ram below the node', { minRamBytes: 8 * GiB }, {}, null],
  ['min-ram equal to the node', { minRamBytes: 16 * GiB }, {}, null],
  ['min-ram above the node', { minRamBytes: 16 * GiB + 1 }, {}, /memory/],
  ['min-ram 1T', { minRamBytes: 1024 * 1024 * GiB }, {}, /memory/],
  ['pool checked before tags', { pool: 'gpu', tags: ['x'] }, {}, /pool/],
  ['all three satisfied', { pool: 'gpu', tags: ['cuda'], minRamBytes: GiB }, { pool: 'gpu', tags: ['cuda'] }, null],
];

for (const [name, wants, has, reason] of MATCHES) {
  test(`staticMismatch: ${name}`, () => {
    const got = staticMismatch(job(wants), node(has));
    if (reason === null) assert.is(got, null);
    else assert.match(got ?? '<null>', reason);
  });
}

test('blocklist threshold is two failures', () => {
  assert.is(BLOCKLIST_FAILURES, 2);
});

const counts = (entries: Record<string, number>) => new Map(Object.entries(entries));

// [case, node, failures by node, live nodes, blocklisted?]
const BLOCKLIST: [string, string, Record<string, number>, string[], boolean][] = [
  ['no failures', 'x', {}, ['x', 'y'], false],
  ['one failure', 'x', { x: 1 }, ['x', 'y'], false],
  ['two failures, a healthy peer', 'x', { x: 2 }, ['x', 'y'], true],
  ['five failures, a healthy peer', 'x', { x: 5 }, ['x', 'y'], true],
  ['the healthy peer itself', 'y', { x: 2 }, ['x', 'y'], false],
  ['escape hatch: x is the only live node', 'x', { x: 2 }, ['x'], false],
  ['escape hatch: every live node blocklisted', 'x', { x: 2, y: 3 }, ['x', 'y'], false],
  ['escape hatch: y is blocklisted too, from y', 'y', { x: 2, y: 3 }, ['x', 'y'], false],
  ['a peer with one failure still counts as healthy', 'x', { x: 2, y: 1 }, ['x', 'y'], true],
  ['a healthy node that is not live does not count', 'x', { x: 2 }, ['x'], false],
  ['failures of dead nodes do not matter', 'x', { x: 2, gone: 9 }, ['x', 'y'], true],
  ['no live nodes known yet', 'x', { x: 2 }, [], false],
  ['node not in the live list, a healthy one is', 'x', { x: 2 }, ['y'], true],
];

for (const [name, self, failures, live, expected] of BLOCKLIST) {
  test(`isBlocklisted: ${name} → ${expected}`, () => {
    assert.is(isBlocklisted(self, counts(failures), live), expected);
  });
}

const MARKERS: [string, string[], Record<string, number>][] = [
  ['none', [], {}],
  ['one per attempt', ['x~0001~1', 'x~0001~2', 'y~0002~1'], { x: 2, y: 1 }],
  ['node names with dots and dashes', ['node-1.lan~0001~1', 'node-1.lan~0002~1'], { 'node-1.lan': 2 }],
  ['a name without separators counts as the node', ['x'], { x: 1 }],
  ['an empty node part is ignored', ['~0001~1'], {}],
];

for (const [name, names, expected] of MARKERS) {
  test(`countFailuresByNode: ${name}`, () => {
    assert.equal(Object.fromEntries(countFailuresByNode(names)), expected);
  });
}

test.run();
