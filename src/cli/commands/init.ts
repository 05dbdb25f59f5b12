// `render init [DIR]`: copies the hook templates into DIR/renderd-hooks for a project to edit.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { withCommonOptions, type Cli } from '../context.js';
import { PROJECT_HOOKS_DIR, templateFiles } from '../../hooks/defaults.js';
import { UsageError } from '../../errors.js';

export function registerInit(program: Command, cli: Cli): void {
  const command = withCommonOptions(program.command('init')
    .description(`copy editable hook scripts into DIR/${PROJECT_HOOKS_DIR} (add and exec use them from there)`)
    .argument('[dir]', 'project folder', '.'), { json: true });
  command.action(async (dir: string, opts: { json?: boolean }) => {
    const project = path.resolve(cli.io.cwd, dir);
    const stat = await fs.stat(project).catch(() => null);
    if (!stat?.isDirectory()) throw new UsageError(`${project} is not a directory`);
    const target = path.join(project, PROJECT_HOOKS_DIR);
    await fs.mkdir(target, { recursive: true });
    const created: string[] = [];
    const kept: string[] = [];
    for (const { name, source } of templateFiles()) {
      const to = path.join(target, name);
      try {
        // never overwrite a hook the project already edited
        await fs.copyFile(source, to, fs.constants.COPYFILE_EXCL);
        created.push(name);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        kept.push(name);
      }
    }
    if (opts.json) return cli.json({ dir: target, created, kept });
    cli.out(`${target}: ${created.length ? `created ${created.join(', ')}` : 'nothing new'}${kept.length ? `; kept your ${kept.join(', ')}` : ''}`);
    cli.out(`edit them, then 'render add scene.blend' from ${project} uses them (or pass --hooks ${target})`);
  });
}
