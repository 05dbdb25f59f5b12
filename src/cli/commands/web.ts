// `render web [--listen HOST:PORT]`: the dashboard, HTTP API and metrics of the farm, from any machine
// that reads the spool; `render web token`: the token its actions need (whoever reads the farm key).
import type { Command } from 'commander';
import { withCommonOptions, type Cli } from '../context.js';
import { openFarm } from '../farm.js';
import { errorMessage } from '../../errors.js';
import { DEFAULT_WEB_LISTEN, parseListenAddress, readWebToken, startWebServer } from '../../web/index.js';

export function registerWeb(program: Command, cli: Cli): void {
  const web = withCommonOptions(program.command('web').description('serve the farm\'s dashboard, HTTP API and metrics')
    .option('--listen <host:port>', 'address to listen on', DEFAULT_WEB_LISTEN));
  web.action(async (opts: { listen: string }) => {
    const listen = parseListenAddress(opts.listen, '--listen');
    const ctx = await openFarm(cli, web);
    const log = (line: string) => cli.err(`${new Date().toISOString()} render web: ${line}`);
    const token = await readWebToken(ctx.layout.root).catch((error) => {
      log(`actions are off: ${errorMessage(error)}`);
      return undefined;
    });
    const server = await startWebServer({ ctx, listen, token, log });
    cli.out(`serving ${ctx.layout.root} on ${server.url}/`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await server.close();
  });
  const token = withCommonOptions(web.command('token').description('print the token the web actions need (Authorization: Bearer TOKEN)'));
  token.action(async () => {
    const ctx = await openFarm(cli, token);
    cli.out(await readWebToken(ctx.layout.root));
  });
}
