// The fault matrix as a Markdown table: a row per fault, a column per filesystem. A cell reads
// "0 s · 0 · ✓ · 0" (overlap, chunks lost, job ended, nodes dead of it) with the renders it cost;
// "n/a" where the fault cannot be made on that filesystem here.
import type { Fault } from './faults.js';
import type { CellResult } from './cell.js';
import { cellFellShort } from './cell.js';

function cell(result: CellResult | undefined): string {
  if (!result) return 'n/a';
  const verdict = cellFellShort(result) ? '**short**' : 'safe';
  const ended = result.unended ? 'not ended' : 'ended';
  const died = result.died.length ? `${result.died.join(', ')} died` : 'none died';
  return `${verdict}: ${result.overlapS.toFixed(1)} s overlap, ${result.lost} lost, ${ended}, ${died}; ${result.rerun} re-run`;
}

export function renderMatrix(faults: Fault[], filesystems: string[], results: CellResult[], skipped: ReadonlyMap<string, string>): string {
  const columns = filesystems.filter((fs) => !skipped.has(fs));
  const lines = [
    `| fault | ${columns.join(' | ')} |`,
    `|---|${columns.map(() => '---').join('|')}|`,
    ...faults.map((fault) => `| **${fault.name}**: ${fault.what} | ${columns.map((fs) => cell(results.find((r) => r.fs === fs && r.fault === fault.name))).join(' | ')} |`),
  ];
  for (const [fs, why] of skipped) lines.push('', `${fs}: not run here (${why}).`);
  return lines.join('\n');
}
