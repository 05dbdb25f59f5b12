// `render license set NAME COUNT` and `render license list`: farm-wide counting semaphores.
import type { Command } from 'commander';
import { withCommonOptions, type Cli } from '../context.js';
import { openFarm } from '../farm.js';
import { table } from '../format.js';
import { parseWholeNumber } from '../../jobs/values.js';
import { listLicenses, setLicense } from '../../licenses/index.js';

export function registerLicense(program: Command, cli: Cli): void {
  const license = program.command('license').description('licence tokens: at most COUNT chunks hold one at once');
  const set = withCommonOptions(license.command('set').argument('<name>').argument('<count>').description('create or resize a licence'), { json: true });
  set.action(async (name: string, rawCount: string, opts: { json?: boolean }) => {
    const count = parseWholeNumber(rawCount, 'count', 0, 1_000_000);
    const ctx = await openFarm(cli, set);
    await setLicense(ctx, name, count);
    if (opts.json) cli.json({ name, count });
    else cli.out(`licence ${name}: ${count} token(s)`);
  });
  const list = withCommonOptions(license.command('list').alias('ls').description('licences with their tokens in use'), { json: true });
  list.action(async (opts: { json?: boolean }) => {
    const ctx = await openFarm(cli, list);
    const licenses = await listLicenses(ctx);
    if (opts.json) return cli.json(licenses.map((l) => ({ name: l.name, count: l.count, inUse: l.held.length, held: l.held })));
    if (licenses.length === 0) return cli.out('no licences');
    cli.out(table(licenses.map((l) => [l.name, `${l.held.length}/${l.count}`]), ['LICENCE', 'IN USE']));
  });
}
