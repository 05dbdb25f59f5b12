// Which Blender renders a job: version affinity, pins, OpenImageDenoise, and the one-line reason when no
// node can. Table tests of the pure functions (src/blender/fit.ts, src/jobs/eligibility.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { blenderMisfit, compareVersions, majorMinor, offeredVersions, pickBlender, type BlenderNeeds } from '../../src/blender/fit.js';
import { parseProbe } from '../../src/blender/probe.js';
import { noNodeRuns, type NodeTraits } from '../../src/jobs/eligibility.js';
import type { JobRecord } from '../../src/spool/records.js';

test('major.minor and its order: 2.48 < 2.93 < 3.4 < 4.3 < 4.10 < 5.2', () => {
  assert.equal(['4.3.2', '2.93.1', '5.2', '3.4.1', 'x'].map(majorMinor), ['4.3', '2.93', '5.2', '3.4', undefined]);
  const sorted = ['5.2', '4.10', '2.48', '4.3', '3.4', '2.93'].sort(compareVersions);
  assert.equal(sorted, ['2.48', '2.93', '3.4', '4.3', '4.10', '5.2']);
});

const B34 = { version: '3.4.1', oidn: false };
const B43 = { version: '4.3.2', oidn: true };
const B52 = { version: '5.2.0', oidn: true };
const blender = (needs: Partial<BlenderNeeds>): BlenderNeeds => ({ kind: 'blender', ...needs });

test('a Blender opens files of its major.minor and older; a pin wants exactly its version; OIDN when the scene denoises', () => {
  const rows: [BlenderNeeds, typeof B34, string | null][] = [
    [blender({ blenderNeeds: '3.4' }), B34, null],
    [blender({ blenderNeeds: '3.4' }), B52, null],
    [blender({ blenderNeeds: '4.3' }), B34, 'needs Blender ≥ 4.3'],
    [blender({ blenderNeeds: '2.79' }), B34, null],
    [blender({ blenderNeeds: '3.4', blenderPin: '4.3' }), B52, 'needs Blender 4.3'],
    [blender({ blenderNeeds: '3.4', blenderPin: '4.3' }), B43, null],
    [blender({ blenderNeeds: '3.4', needsOidn: true }), B34, 'needs a Blender with OpenImageDenoise (the scene denoises with it)'],
    [blender({ blenderNeeds: '3.4', needsOidn: true }), B43, null],
    [blender({ blenderNeeds: '9.9' }), {} as typeof B34, null],
  ];
  for (const [job, offered, want] of rows) assert.is(blenderMisfit(job, offered), want, JSON.stringify([job, offered]));
});

test('of several Blenders that fit, the oldest renders; a pin picks its own; none fits: undefined', () => {
  const offered: { path: string; version?: string; oidn?: boolean }[] = [{ ...B52, path: 'b52' }, { ...B34, path: 'b34' }, { ...B43, path: 'b43' }];
  assert.is(pickBlender(blender({ blenderNeeds: '3.4' }), offered)?.path, 'b34');
  assert.is(pickBlender(blender({ blenderNeeds: '4.0' }), offered)?.path, 'b43');
  assert.is(pickBlender(blender({ blenderNeeds: '3.4', blenderPin: '5.2' }), offered)?.path, 'b52');
  assert.is(pickBlender(blender({ blenderNeeds: '3.4', needsOidn: true }), offered)?.path, 'b43');
  assert.is(pickBlender(blender({ blenderNeeds: '5.3' }), offered), undefined);
  assert.is(pickBlender(blender({ blenderNeeds: '5.3' }), [...offered, { path: 'unknown' }])?.path, 'unknown', 'a Blender not asked is not judged');
});

const job = (fields: Partial<JobRecord>) => ({ kind: 'blender', tags: [], ...fields }) as unknown as JobRecord;
const node = (name: string, blenders?: NodeTraits['blenders'], pool?: string): NodeTraits => ({ name, tags: [], memTotalBytes: 1e12, blenders, pool });

test('no live node can run it: one line naming the need and what the nodes have', () => {
  const nodes = [node('a', [B34]), node('b', [B43, B34])];
  assert.is(noNodeRuns(job({ blenderNeeds: '5.2' }), nodes), 'needs Blender ≥ 5.2; nodes have 3.4, 4.3');
  assert.is(noNodeRuns(job({ blenderNeeds: '3.4', blenderPin: '4.5' }), nodes), 'needs Blender 4.5; nodes have 3.4, 4.3');
  assert.is(noNodeRuns(job({ blenderNeeds: '4.3' }), nodes), null, 'node b can');
  assert.is(noNodeRuns(job({ blenderNeeds: '5.2' }), []), null, 'no node to judge by: nothing said here');
  assert.is(noNodeRuns(job({ blenderNeeds: '5.2', kind: 'exec' } as Partial<JobRecord>), nodes), null, 'exec jobs need no Blender');
  assert.is(noNodeRuns(job({ blenderNeeds: '5.2' }), [node('old')]), null, 'a node that does not advertise its Blenders is not judged');
  assert.is(noNodeRuns(job({ pool: 'gpu' }), nodes), 'job wants pool gpu');
  assert.is(offeredVersions([[B34], [{}]]), '3.4, ?');
});

test("the probe's line, else Blender's banner, else nothing known", () => {
  assert.equal(parseProbe('Blender 4.3.2\nRENDERD_PROBE 4.3.2 yes\n'), { version: '4.3.2', oidn: true });
  assert.equal(parseProbe('RENDERD_PROBE 3.4.1 no\n'), { version: '3.4.1', oidn: false });
  assert.equal(parseProbe('RENDERD_PROBE 5.2.0 ?\n'), { version: '5.2.0' });
  assert.equal(parseProbe('Blender 3.4.1 (stand-in)\n'), { version: '3.4.1' });
  assert.equal(parseProbe('fake blender pid 12\n'), {});
});

test.run();
