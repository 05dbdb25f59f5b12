// `render show JOB [--json]`: a job and each of its chunks.
import type { Command } from 'commander';
import { withCommonOptions, type Cli } from '../context.js';
import { openFarm } from '../farm.js';
import { printable, table } from '../format.js';
import { brokenSummary, chunkSummaries, resolveJobRef, summarizeJob, type ChunkSummary } from '../../jobs/summary.js';
import { waitingFor } from '../../jobs/dependencies.js';
import { noNodeRuns, recentNodeTraits } from '../../jobs/eligibility.js';
import { latestPreview, listPreviews } from '../../previews/paths.js';
import { readNodeRecords } from '../../nodes/registry.js';
import { showDocument } from '../../documents/index.js';
import { BrokenJobError } from '../../jobs/broken.js';
import { formatFrameSpec } from '../../frames/index.js';

export function registerShow(program: Command, cli: Cli): void {
  const command = withCommonOptions(program.command('show').description('show a job and its chunks').argument('<job>'), { json: true });
  command.action(async (ref: string, opts: { json?: boolean }) => {
    const ctx = await openFarm(cli, command);
    const record = await resolveJobRef(ctx, ref).catch((error) => {
      if (!(error instanceof BrokenJobError)) throw error;
      const summary = brokenSummary(error.job, error.reason);
      if (opts.json) cli.json(summary);
      else cli.out(`job ${error.job}\n  state broken: ${error.reason}`);
      return null;
    });
    if (!record) return;
    if (opts.json) return cli.json(await showDocument(ctx, record));
    const nodes = recentNodeTraits((await readNodeRecords(ctx.layout, ctx.log)).values(), Date.now());
    const [summary, chunks, waiting, previews] = await Promise.all([summarizeJob(ctx, record, undefined, (r) => noNodeRuns(r, nodes)), chunkSummaries(ctx, record.id), waitingFor(ctx, record), listPreviews(ctx.layout, record.id)]);
    const c = summary.chunks;
    cli.out(`job ${summary.id}  ${printable(summary.name)}\n  state ${summary.state}${summary.reason ? ` (${printable(summary.reason)})` : ''}, priority ${summary.priority}, owner ${printable(summary.owner)}, frames ${summary.frames}`);
    if (record.file) cli.out(`  file ${printable(record.file)}${record.scene ? `, scene ${printable(record.scene)}` : ''}${blenderOf(record)}`);
    if (record.command) cli.out(`  command ${printable(record.command.join(' '))}`);
    const rules = [record.pool && `pool ${record.pool}`, record.tags?.length && `tags ${printable(record.tags.join(','))}`, record.maxNodes && `max ${record.maxNodes} nodes`,
      record.license && `licence ${record.license}`, record.startAt && `not before ${new Date(record.startAt).toLocaleString()}`].filter(Boolean);
    if (rules.length) cli.out(`  runs on: ${rules.join(', ')}`);
    if (waiting.length) cli.out(`  waiting for: ${waiting.join(', ')}`);
    if (record.failedEarly) cli.out(`  failed early: ${record.failedReason ?? `too many failed chunks (--max-failed ${record.maxFailedChunks})`}; render retry ${record.id} runs the rest`);
    if (previews.length) cli.out(`  previews: ${previews.length} frame(s), latest ${latestPreview(previews)!.path} (render preview ${record.id})`);
    cli.out(`  chunks: ${c.total} total, ${c.queued} queued, ${c.running} running, ${c.done} done, ${c.failed} failed\n`);
    cli.out(table(chunks.map(chunkRow), ['CHUNK', 'FRAMES', 'STATE', 'TRY', 'NODE', 'PROGRESS', 'ERROR']));
  });
}

/** ", Blender 4.3 (saved by 4.3)": which Blender the job runs on, when it says. */
function blenderOf(record: { blenderNeeds?: string; blenderPin?: string }): string {
  if (record.blenderPin) return `, Blender ${record.blenderPin} (pinned; saved by ${record.blenderNeeds ?? '?'})`;
  return record.blenderNeeds ? `, saved by Blender ${record.blenderNeeds}` : '';
}

function chunkRow(chunk: ChunkSummary): string[] {
  const p = chunk.progress;
  const progress = p ? [p.frame !== undefined ? `frame ${p.frame}` : '', p.sample ? `${p.sample.done}/${p.sample.total}` : '', p.peakMemMB ? `${Math.round(p.peakMemMB)}M peak` : ''].filter(Boolean).join(' ') : '';
  return [chunk.id, formatFrameSpec(chunk.frames), chunk.state, String(chunk.attempt), chunk.node ?? '', progress, chunk.error ?? ''];
}
