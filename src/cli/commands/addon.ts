// `render addon install [--blender PATH]` and `render addon path`: the Blender add-on in the package.
import type { Command } from 'commander';
import { withCommonOptions, type Cli } from '../context.js';
import { addonSourceDir, installAddon } from '../../addon/install.js';

export function registerAddon(program: Command, cli: Cli): void {
  const addon = program.command('addon').description('the Blender add-on: a Submit button in Output Properties');
  withCommonOptions(addon.command('path').description('print the folder of the add-on in this package'), { json: true })
    .action((options: { json?: boolean }) => {
      if (options.json) cli.json({ path: addonSourceDir() });
      else cli.out(addonSourceDir());
    });
  withCommonOptions(addon.command('install').description('install and enable the add-on for your Blender'), { json: true })
    .option('--blender <path>', 'the Blender to install it for (default: $BLENDER or blender on the PATH)')
    .action(async (options: { blender?: string; json?: boolean }) => {
      const installed = await installAddon(options.blender ?? cli.io.env.BLENDER ?? 'blender', cli.io.env);
      if (options.json) cli.json(installed);
      else cli.out(`installed the renderd add-on for Blender ${installed.blenderVersion} ${installed.kind === 'extension' ? 'as an extension ' : ''}in ${installed.folder} and enabled it\n`
        + 'open Properties > Output > renderd, or run bpy.ops.renderd.submit()');
    });
}
