// `render inspect SCENE.blend [--json]`: what a .blend will render, read without starting Blender.
import path from 'node:path';
import type { Command } from 'commander';
import { withCommonOptions, type Cli } from '../context.js';
import { printable } from '../format.js';
import type { BlendInfo, BlendScene } from '../../blend/index.js';
import { inspectDependencies } from './inspect-deps.js';

export function registerInspect(program: Command, cli: Cli): void {
  const command = program
    .command('inspect')
    .description('show the Blender version, scenes, frame ranges and output settings of a .blend (no Blender needed)')
    .argument('<file>', 'the .blend file')
    .option('--deps', 'list every external file it uses (images, libraries, sounds, caches…) instead');
  withCommonOptions(command, { json: true }).action(async (file: string, options: { json?: boolean; deps?: boolean }) => {
    if (options.deps) return inspectDependencies(cli, path.resolve(cli.io.cwd, file), options.json === true);
    const { readBlendInfo } = await import('../../blend/index.js');
    const info = await readBlendInfo(path.resolve(cli.io.cwd, file));
    if (options.json) cli.json(info);
    else cli.out(formatBlendInfo(info));
  });
}

/** The text report: a few header lines, then one row per scene; `*` marks the default scene. */
export function formatBlendInfo(info: BlendInfo): string {
  const bits = `${info.pointerSize * 8}-bit, ${info.endian}-endian`;
  const lines = [
    `file         ${info.file}`,
    `blender      ${info.version} (${bits}${info.headerFormat === 'large' ? ', large block headers' : ''})`,
    `compression  ${info.compression}`,
  ];
  const defaultScene = info.renderScenes[0]?.name;
  if (info.scenes.length === 0) {
    lines.push(`scenes       none${defaultScene === undefined ? '' : ` (REND names '${defaultScene}')`}`);
    return lines.join('\n');
  }
  lines.push(`scenes       ${info.scenes.length}${defaultScene === undefined ? '' : ' (* = rendered by default)'}`, '');
  const header = ['SCENE', 'FRAMES', 'STEP', 'RESOLUTION', 'FORMAT', 'ENGINE', 'OUTPUT'];
  const rows = info.scenes.map((scene) => describeSceneRow(scene));
  const marks = info.scenes.map((scene) => (scene.name === defaultScene ? '* ' : '  '));
  lines.push(...alignColumns([header, ...rows]).map((line, i) => (i === 0 ? '  ' : marks[i - 1]) + line));
  return lines.join('\n');
}

function describeSceneRow(scene: BlendScene): string[] {
  const resolution = scene.resolution
    ? `${scene.resolution.x}x${scene.resolution.y} @${scene.resolution.percent}%`
    : '-';
  return [
    printable(scene.name),
    `${scene.frameStart}..${scene.frameEnd}`,
    String(scene.frameStep),
    resolution,
    scene.fileFormat ?? '-',
    printable(scene.engine ?? '') || '-',
    scene.output === null ? '-' : scene.output === '' ? "''" : printable(scene.output),
  ];
}

/** Pads every column but the last to its widest cell, as a terminal shows it. */
function alignColumns(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => { widths[i] = Math.max(widths[i] ?? 0, measureWidth(cell)); });
  return rows.map((row) =>
    row.map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat(widths[i] - measureWidth(cell)))).join('  ').trimEnd(),
  );
}

/** Terminal columns: CJK, Hangul and emoji take two (the East Asian Wide ranges, roughly). */
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f300}-\u{1faff}\u{20000}-\u{3fffd}]/u;

function measureWidth(text: string): number {
  let width = 0;
  for (const char of text) width += WIDE.test(char) ? 2 : 1;
  return width;
}
