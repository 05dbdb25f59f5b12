// Marks and what the job keys do to all marked jobs at once: one confirmation naming them, then the
// same farm actions as for one job, one after another; the status line sums up.
import type { Action } from '../model/keys.js';
import type { JobRow } from '../model/job-row.js';
import { moveSelection } from '../model/selection.js';
import { setSelection, toggleAllMarks, toggleMark, clearMarks } from '../model/state.js';
import { confirm } from './dialogs.js';
import type { UiHandle } from './handle.js';

const MARK_ACTIONS: ReadonlySet<Action> = new Set(['mark', 'markUp', 'markDown', 'markAll']);
const BULK_ACTIONS: ReadonlySet<Action> = new Set(['togglePause', 'retry', 'remove', 'priorityUp', 'priorityDown']);

export function isMarkAction(action: Action): boolean {
  return MARK_ACTIONS.has(action);
}

export function isBulkAction(app: UiHandle, action: Action): boolean {
  return BULK_ACTIONS.has(action) && (app.view?.markedJobs.length ?? 0) > 0;
}

/** Space marks the job under the cursor and steps down; shift+arrows mark as they move; `*` all shown. */
export function mark(app: UiHandle, action: Action): void {
  const { view } = app;
  if (!view) return;
  if (app.state.focus !== 'jobs') return app.notify('marks are for jobs: 1 shows them', 'warn');
  if (action === 'markAll') return app.update(toggleAllMarks(app.state, view.rowIds.jobs));
  const current = view.selectedJob?.id;
  if (!current) return;
  const ids = view.rowIds.jobs;
  const step = action === 'markUp' ? -1 : 1;
  let state = toggleMark(app.state, current, action === 'mark' ? undefined : true);
  const moved = moveSelection(state.selections.jobs, step, ids, view.visible.jobs);
  state = setSelection(state, 'jobs', moved);
  if (action !== 'mark' && moved.id) state = toggleMark(state, moved.id, true);
  app.update(state);
}

interface Plan { verb: string; run: (job: JobRow) => Promise<string>; skip?: (job: JobRow) => string | undefined }

function planFor(app: UiHandle, action: Action, jobs: readonly JobRow[]): Plan | undefined {
  const { actions } = app.deps;
  switch (action) {
    case 'togglePause': {
      // all paused already: resume them; else pause them all
      const pause = jobs.some((j) => !j.paused);
      return { verb: pause ? 'Pause' : 'Resume', run: (j) => actions.setPaused(j.id, pause) };
    }
    case 'retry': return { verb: 'Retry the failed chunks of', run: (j) => actions.retry(j.id), skip: (j) => (j.failed === 0 ? 'no failed chunks' : undefined) };
    case 'remove': return { verb: 'Remove', run: (j) => actions.remove(j.id) };
    case 'priorityUp': return { verb: 'Raise the priority of', run: (j) => actions.changePriority(j.id, 1) };
    case 'priorityDown': return { verb: 'Lower the priority of', run: (j) => actions.changePriority(j.id, -1) };
    default: return undefined;
  }
}

export async function bulkAction(app: UiHandle, action: Action, ask: (title: string, question: string) => Promise<boolean>): Promise<void> {
  const jobs = app.view?.markedJobs ?? [];
  const plan = planFor(app, action, jobs);
  if (!plan || jobs.length === 0) return;
  const names = jobs.slice(0, 4).map((j) => j.name).join(', ') + (jobs.length > 4 ? `, … (${jobs.length - 4} more)` : '');
  const running = jobs.reduce((sum, j) => sum + j.running, 0);
  const note = action === 'remove' && running > 0 ? ` Their ${running} running chunk(s) will be stopped.` : '';
  if (!(await ask(`${jobs.length} marked jobs`, `${plan.verb} ${jobs.length} marked job(s): ${names}?${note}`))) return app.notify('nothing done', 'dim');
  await app.runAction(async () => {
    let done = 0;
    const problems: string[] = [];
    for (const job of jobs) {
      const skipped = plan.skip?.(job);
      if (skipped) { problems.push(`${job.name}: ${skipped}`); continue; }
      try {
        await plan.run(job);
        done++;
      } catch (error) {
        problems.push(`${job.name}: ${(error as Error).message}`);
      }
    }
    if (action === 'remove') app.update(clearMarks(app.state));
    return `${plan.verb.toLowerCase()}: ${done} of ${jobs.length} job(s) done${problems.length ? ` — ${problems.join('; ')}` : ''}`;
  });
}

