// `render service install|status|uninstall`: this machine's node as a systemd system unit, run by an
// unprivileged user of its own; `install --print` only prints the unit, `--root DIR` writes into an image.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { withCommonOptions, type Cli } from '../context.js';
import { packagePath } from '../../hooks/defaults.js';
import { daemonCommand, resolveDaemonOptions } from '../../daemon/options.js';
import { FarmError, UsageError } from '../../errors.js';
import { isSafeName } from '../../spool/layout.js';
import { renderUnit, UNIT_NAME } from '../../service/unit.js';
import {
  createServiceUser, isEnabledIn, removeUnit, requireRunningSystemd, systemctl, systemctlOrFail, unitPath, userExists, writeUnit,
} from '../../service/system.js';

interface InstallOpts { user: string; root?: string; print?: boolean }

/** The renderd flags must be ones renderd takes, with values it accepts: checked now, not at boot. */
function checkRenderdFlags(flags: string[], spool: string, cli: Cli): void {
  if (flags.some((f) => f === '--spool' || f.startsWith('--spool='))) throw new UsageError('give the spool as render service install --spool DIR');
  const parser = daemonCommand().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  try {
    parser.parse(flags, { from: 'user' });
  } catch (error) {
    throw new UsageError(`not a renderd flag list: ${(error as Error).message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ')}`);
  }
  resolveDaemonOptions({ ...parser.opts(), spool }, cli.io.env, cli.io.cwd);
}

export function registerService(program: Command, cli: Cli): void {
  const service = program.command('service').description(`run this machine's node at boot as the systemd unit ${UNIT_NAME}`);
  const root = (opts: { root?: string }) => (opts.root ? path.resolve(cli.io.cwd, opts.root) : '/');

  withCommonOptions(service.command('install')
    .description('write and enable the unit, creating its unprivileged user if missing; renderd flags follow (e.g. --slots 2 --pool gpu)')
    .option('--user <name>', 'user the node runs as', 'renderd')
    .option('--root <dir>', 'write the unit into this root (an image or a test) and enable it there, without a running systemd')
    .option('--print', 'print the unit on stdout and change nothing')
    .argument('[renderd-flags...]', 'flags for renderd')
    .allowUnknownOption()
    .helpOption('-h, --help'))
    .action(async (flags: string[], opts: InstallOpts, command: Command) => {
      if (!isSafeName(opts.user)) throw new UsageError(`--user '${opts.user}' must be letters, digits, '.', '_' or '-'`);
      const spool = cli.spoolDir(command);
      checkRenderdFlags(flags, spool, cli);
      const unit = renderUnit({ user: opts.user, spool, command: [process.execPath, packagePath('bin', 'renderd')], flags });
      if (opts.print) {
        cli.io.stdout.write(unit);
        return;
      }
      if (opts.root) {
        const file = await writeUnit(root(opts), unit);
        systemctlOrFail(['--root', root(opts), 'enable', UNIT_NAME]);
        cli.out(`wrote ${file} and enabled it in ${root(opts)} (user '${opts.user}' must exist there)`);
        return;
      }
      requireRunningSystemd('install the service');
      if (process.geteuid?.() !== 0) throw new UsageError('render service install writes /etc/systemd/system: run it as root (sudo)');
      if (!userExists(opts.user)) {
        createServiceUser(opts.user);
        cli.out(`created the system user '${opts.user}'`);
      }
      const file = await writeUnit('/', unit);
      systemctlOrFail(['daemon-reload']);
      systemctlOrFail(['enable', '--now', UNIT_NAME]);
      cli.out(`wrote ${file}, enabled and started it: render service status; journalctl -u renderd`);
      cli.out(`the user '${opts.user}' must read and write ${spool} and read its farm.key (render doctor checks)`);
    });

  withCommonOptions(service.command('status')
    .description('whether the unit is installed, enabled and running')
    .option('--root <dir>', 'look in this root instead of the running system'))
    .action(async (opts: { root?: string }) => {
      if (opts.root) {
        const file = unitPath(root(opts));
        const installed = existsSync(file);
        cli.out(`${file}: ${installed ? 'installed' : 'not installed'}, ${isEnabledIn(root(opts)) ? 'enabled' : 'not enabled'}`);
        cli.exitCode = installed ? 0 : 3;
        return;
      }
      requireRunningSystemd('show the service');
      const status = systemctl(['status', '--no-pager', UNIT_NAME]);
      cli.out(status.output);
      cli.exitCode = status.ok ? 0 : 3;
    });

  withCommonOptions(service.command('uninstall')
    .description('stop and disable the unit and remove its file (the user stays)')
    .option('--root <dir>', 'remove it from this root instead of the running system'))
    .action(async (opts: { root?: string }) => {
      if (!opts.root) {
        requireRunningSystemd('uninstall the service');
        if (process.geteuid?.() !== 0) throw new UsageError('render service uninstall changes /etc/systemd/system: run it as root (sudo)');
        systemctl(['disable', '--now', UNIT_NAME]);
      } else {
        systemctl(['--root', root(opts), 'disable', UNIT_NAME]);
      }
      const removed = await removeUnit(root(opts));
      if (!opts.root) systemctlOrFail(['daemon-reload']);
      if (!removed) throw new FarmError('ENOUNIT', `${unitPath(root(opts))} is not installed`);
      cli.out(`removed ${unitPath(root(opts))}`);
    });
}
