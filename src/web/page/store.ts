// The farm as the page knows it: the snapshot the event stream opens with, patched by each change.
// Pure steps (applySnapshot, applyChanges) on plain maps, so the tests run them in node.
import type { FarmChanges, FarmView, JobRow, NodeRow } from '../farm-view.js';

export interface FarmState {
  jobs: Map<string, JobRow>;
  nodes: Map<string, NodeRow>;
  /** When the server read the spool last (its clock). */
  at: string;
}

export function emptyFarm(): FarmState {
  return { jobs: new Map(), nodes: new Map(), at: '' };
}

export function applySnapshot(view: FarmView): FarmState {
  return { jobs: new Map(view.jobs.map((j) => [j.id, j])), nodes: new Map(view.nodes.map((n) => [n.name, n])), at: view.at };
}

export function applyChanges(state: FarmState, changes: FarmChanges): FarmState {
  const jobs = new Map(state.jobs);
  const nodes = new Map(state.nodes);
  for (const id of changes.removedJobs) jobs.delete(id);
  for (const job of changes.jobs) jobs.set(job.id, job);
  for (const name of changes.removedNodes) nodes.delete(name);
  for (const node of changes.nodes) nodes.set(node.name, node);
  return { jobs, nodes, at: state.at };
}

/** Names of the jobs, for showing what a node runs. */
export function jobName(state: FarmState, id: string): string {
  return state.jobs.get(id)?.name ?? id;
}
