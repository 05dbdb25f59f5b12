// Verdicts on the farm's state: pure, from what farm-state.ts read.
import type { NodeRecord } from '../spool/records.js';
import type { JobState } from '../jobs/state.js';
import { isFinished } from '../jobs/state.js';
import { bytesText, ok, warn, type Check } from './check.js';
import { neverRuns, type FarmFound } from './farm-state.js';

export function farmVerdicts(farm: FarmFound, liveNodes: readonly NodeRecord[]): Check[] {
  const checks: Check[] = [];
  const unreadable = farm.jobs.filter((j) => j.error);
  const brokenOn = farm.jobs.filter((j) => j.brokenOn);
  const advice = [
    unreadable.length && `no node can run ${unreadable.map((j) => j.id).join(', ')}: render remove ${unreadable.map((j) => j.id).join(' ')} (or put a good job.json back from quarantine/)`,
    brokenOn.length && `give the nodes' users read access to ${brokenOn.map((j) => `jobs/${j.id}`).join(', ')} (or render remove and submit again from a user of the farm's group)`,
  ].filter(Boolean).join('; ');
  checks.push(unreadable.length + brokenOn.length === 0
    ? ok('farm.broken', 'every job folder has a readable job.json, and no node reports a job it cannot read')
    : warn('farm.broken', [...unreadable.map((j) => `job ${j.id}: ${j.error}`), ...brokenOn.map((j) => `job ${j.id} broken on ${j.brokenOn!.join('; ')}`)].join('; '), advice));
  checks.push(farm.quarantined.length === 0
    ? ok('farm.quarantine', 'quarantine/ is empty')
    : warn('farm.quarantine', `${farm.quarantined.length} file(s) in quarantine/ (they failed to parse or validate): ${farm.quarantined.slice(0, 5).join(', ')}${farm.quarantined.length > 5 ? ', …' : ''}`,
      'look at them (a full disk or a hand edit?), then delete them: nothing reads quarantine/'));
  checks.push(farm.stuck.length === 0
    ? ok('farm.stuck', 'every running chunk is held by a live node')
    : warn('farm.stuck', `${farm.stuck.length} running chunk(s) held by nodes that are gone: ${farm.stuck.slice(0, 5).map((s) => `${s.job}/${s.chunk} on ${s.node}`).join(', ')}`,
      liveNodes.length ? 'a live node gives them back within 15 s; if they stay, look at that node\'s log' : 'no live node is there to give them back: start renderd on some node'));
  const states = new Map<string, JobState>(farm.jobs.filter((j) => j.state).map((j) => [j.id, j.state!]));
  const never = farm.jobs.map((j) => [j.id, neverRuns(j, states, liveNodes)] as const).filter(([, why]) => why);
  checks.push(never.length === 0
    ? ok('farm.runnable', 'every queued job can run on some live node, or waits for something that can still happen')
    : warn('farm.runnable', never.map(([id]) => `job ${id} can never run`).join('; '), never.map(([id, why]) => `${id}: ${why}`).join('; ')));
  const finished = farm.jobs.filter((j) => j.state && isFinished(j.state));
  const freed = finished.reduce((sum, j) => sum + j.bytes, 0);
  checks.push(ok('spool.size', `${bytesText(farm.totalBytes)} in ${farm.jobs.length} job(s); ${finished.length} finished job(s) hold ${bytesText(freed)}, which render clean would free`));
  return checks;
}
