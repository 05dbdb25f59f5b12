// `renderd --http HOST:PORT`: the same server as `render web`, started beside a node. The node holds
// the farm key (it creates it on first start), so its server can always take actions.
import type { FarmContext } from '../claim/context.js';
import { ensureFarmKey } from '../peers/key.js';
import { startWebServer, type WebServer } from './server.js';
import { deriveWebToken } from './token.js';

export async function startNodeWebServer(ctx: FarmContext, listen: { host: string; port: number }, log: (line: string) => void): Promise<WebServer> {
  const token = deriveWebToken(await ensureFarmKey(ctx.layout.root));
  const server = await startWebServer({ ctx, listen, token, log: (line) => log(line) });
  log(`web: serving on ${server.url}/`);
  return server;
}
