// `render list` filters: option values checked into a filter (usage errors name the flag), then a
// pure filter over job summaries.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { filterJobs, globToRegExp, resolveJobFilter, type RawListFilter } from '../../src/reports/index.js';
import type { JobSummary } from '../../src/jobs/summary.js';
import { UsageError } from '../../src/errors.js';

const NOW = Date.parse('2024-05-01T12:00:00.000Z');
const counts = { total: 1, queued: 0, running: 0, done: 1, failed: 0 };

function job(id: string, state: JobSummary['state'], owner: string, name: string, createdAt: string): JobSummary {
  return { id, name, owner, kind: 'exec', state, priority: 50, paused: state === 'paused', frames: '1-10', createdAt, chunks: counts };
}

const JOBS = [
  job('a', 'done', 'ana', 'shot_010', '2024-05-01T11:50:00.000Z'),
  job('b', 'failed', 'ben', 'shot_020 comp', '2024-05-01T09:00:00.000Z'),
  job('c', 'running', 'ana', 'bake fluids', '2024-04-20T12:00:00.000Z'),
  job('d', 'queued', 'cy', 'Shot_030', '2024-05-01T11:59:59.000Z'),
  job('e', 'paused', 'ana', 'shot_1[x]', '2024-05-01T11:00:00.000Z'),
];

const CASES: [string, RawListFilter, string[], Set<string>?][] = [
  ['no filter', {}, ['a', 'b', 'c', 'd', 'e']],
  ['--state done', { state: 'done' }, ['a']],
  ['--state running,queued', { state: 'running,queued' }, ['c', 'd']],
  ['--state failed,paused', { state: ' failed , paused ' }, ['b', 'e']],
  ['--owner ana', { owner: 'ana' }, ['a', 'c', 'e']],
  ['--owner nobody', { owner: 'nobody' }, []],
  ['--name shot_*', { name: 'shot_*' }, ['a', 'b', 'e']],
  ['--name is case-sensitive and whole', { name: 'shot_0?0' }, ['a']],
  ['--name [Ss]hot_0[23]*', { name: '[Ss]hot_0[23]*' }, ['b', 'd']],
  ['--name [!s]*', { name: '[!s]*' }, ['c', 'd']],
  ['--name with regex characters is literal', { name: 'shot_1[[]x]' }, ['e']],
  ['--name *comp', { name: '*comp' }, ['b']],
  ['--since 1h', { since: '1h' }, ['a', 'd', 'e']],
  ['--since 15m', { since: '15m' }, ['a', 'd']],
  ['--since 5m', { since: '5m' }, ['d']],
  ['--node n1', { node: 'n1' }, ['a', 'c'], new Set(['a', 'c', 'zz'])],
  ['--node with no jobs', { node: 'n9' }, [], new Set()],
  ['--owner ana --state done,paused --since 2h', { owner: 'ana', state: 'done,paused', since: '2h' }, ['a', 'e']],
];

for (const [what, raw, ids, nodeJobs] of CASES) {
  test(`filter: ${what}`, () => {
    assert.equal(filterJobs(JOBS, resolveJobFilter(raw, NOW), nodeJobs).map((j) => j.id), ids);
  });
}

const ERRORS: [RawListFilter, RegExp][] = [
  [{ state: 'finished' }, /^--state must be one or more of queued, running, paused, done, failed, broken \(comma-separated\), got 'finished'$/],
  [{ state: ',' }, /--state must be/],
  [{ since: 'yesterday' }, /^--since must be a duration like 90s, 5m or 1h30m, got 'yesterday'$/],
  [{ node: '../etc' }, /^--node '\.\.\/etc' is not a node name$/],
];

for (const [raw, message] of ERRORS) {
  test(`usage error: ${JSON.stringify(raw)}`, () => {
    try {
      resolveJobFilter(raw, NOW);
      assert.unreachable('accepted');
    } catch (error) {
      assert.instance(error, UsageError);
      assert.match((error as Error).message, message);
    }
  });
}

const GLOBS: [string, string, boolean][] = [
  ['*', '', true], ['a*c', 'abbbc', true], ['a*c', 'abcd', false], ['a?c', 'abc', true], ['a?c', 'ac', false],
  ['a.c', 'abc', false], ['(x)+', '(x)+', true], ['[a-c]x', 'bx', true], ['[a-c]x', 'dx', false], ['[x', '[x', true], ['a/b*', 'a/bc', true],
];
for (const [glob, name, matches] of GLOBS) {
  test(`glob ${glob} ${matches ? 'matches' : 'does not match'} '${name}'`, () => {
    assert.is(globToRegExp(glob).test(name), matches);
  });
}

test.run();
