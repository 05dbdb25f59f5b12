// The web server: node:http, bounded everywhere (connections, header and request time, body size,
// event streams), answering each route with the farm's own documents. A wrong request gets a 4xx
// and one line of text; anything else that fails is a 500, logged, with one line.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FarmContext } from '../claim/context.js';
import { AmbiguousError } from '../jobs/errors.js';
import { BrokenJobError } from '../jobs/broken.js';
import { FarmError, NotFoundError, UsageError, isUserError } from '../errors.js';
import { decideRoute, type Route } from './routes.js';
import { FarmWatcher, WATCH_POLL_MS } from './watcher.js';
import { DocCache } from './doc-cache.js';
import { EventStreams } from './events.js';
import { StatsTail } from './stats-tail.js';
import { formatMetrics } from './metrics.js';
import { checkBearer } from './token.js';
import { handleRead } from './read-handlers.js';
import { readJsonBody, sendJson, sendLine, BodyError } from './replies.js';
import { runJobAction, runNodeAction } from './actions.js';
import { PageFiles } from './page-files.js';
import { isAllowedHost } from './host-check.js';

/** Open connections at once: pages, scrapers and scripts of a studio, with room. */
export const MAX_CONNECTIONS = 256;
export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 30_000;
/** A connection idle this long (no byte either way) is closed; event streams beat faster. */
export const IDLE_TIMEOUT_MS = 60_000;

export interface WebServerOptions {
  ctx: FarmContext;
  listen: { host: string; port: number };
  /** The web token, or undefined when this server cannot read the farm key (then no actions). */
  token?: string;
  log: (line: string) => void;
  pollMs?: number;
}

export interface WebServer {
  url: string;
  watcher: FarmWatcher;
  streams: EventStreams;
  close(): Promise<void>;
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const { ctx, log } = options;
  const watcher = new FarmWatcher(ctx, options.pollMs);
  const streams = new EventStreams(watcher, log);
  const stats = new StatsTail(ctx.layout);
  const page = new PageFiles();
  const docs = new DocCache<string>(options.pollMs ?? WATCH_POLL_MS, () => performance.now());
  const server = http.createServer({ headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS }, (req, res) => {
    setSafetyHeaders(res);
    void handle(req, res).catch((error) => {
      const [status, line] = statusOf(error);
      if (status === 500) log(`web: ${req.method} ${req.url?.slice(0, 200)}: ${(error as Error)?.stack ?? error}`);
      if (!res.headersSent) sendLine(res, status, line);
      else res.destroy();
    });
  });
  server.maxConnections = MAX_CONNECTIONS;
  server.keepAliveTimeout = 5_000;
  server.timeout = IDLE_TIMEOUT_MS;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!isAllowedHost(req.headers.host, options.listen.host)) return sendLine(res, 421, 'this server answers only requests to a loopback name (localhost, 127.0.0.1)');
    const decision = decideRoute(req.method ?? 'GET', req.url ?? '/');
    if (!decision.ok) return sendLine(res, decision.status, decision.message);
    const route: Route = decision.route;
    switch (route.kind) {
      case 'page': return page.send(res, route.file);
      case 'events':
        if (!streams.hasRoom()) return sendLine(res, 503, 'too many open event streams; try again later');
        return streams.open(res);
      case 'metrics': {
        const [view, totals] = await Promise.all([watcher.read(), stats.update()]);
        res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', 'Cache-Control': 'no-store' });
        return void res.end(formatMetrics(view, totals));
      }
      case 'job-action':
      case 'node-action': {
        const who = `${req.socket.remoteAddress ?? '?'} ${req.method} ${req.url?.slice(0, 200)}`;
        const check = checkBearer(req.headers.authorization, options.token);
        if (!check.ok) {
          log(`web: refused ${who}: ${check.reason}`);
          return sendLine(res, options.token === undefined ? 403 : 401, `refused: ${check.reason}`);
        }
        const body = await readJsonBody(req);
        docs.clear();
        const result = route.kind === 'job-action' ? await runJobAction(ctx, route.job, route.action, body) : await runNodeAction(ctx, route.node, route.action);
        log(`web: ${who}: ${result.result}`);
        return sendJson(res, 200, result);
      }
      default: return handleRead(ctx, docs, route, req, res);
    }
  }

  await new Promise<void>((resolve, reject) => {
    // a port in use or an address not ours is one line for whoever started the server
    server.once('error', (error: NodeJS.ErrnoException) => reject(new FarmError('ELISTEN', `cannot listen on ${options.listen.host}:${options.listen.port}: ${error.code ?? error.message}`, { cause: error })));
    server.listen(options.listen.port, options.listen.host, () => {
      server.removeAllListeners('error');
      server.on('error', (error) => log(`web: server error: ${error.message}`));
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    watcher,
    streams,
    async close() {
      watcher.stop();
      streams.closeAll();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function setSafetyHeaders(res: ServerResponse): void {
  // names and logs are shown with textContent, and this forbids inline script besides
  res.setHeader('Content-Security-Policy', "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
}

/** A library error as an HTTP status and one line. */
export function statusOf(error: unknown): [number, string] {
  const first = (text: string) => text.split('\n')[0].slice(0, 500);
  if (error instanceof BodyError) return [error.status, first(error.message)];
  if (error instanceof NotFoundError) return [404, first(error.message)];
  // a job that cannot be read has no log or preview to give (its document says broken: documents.ts)
  if (error instanceof BrokenJobError) return [404, first(error.message)];
  if (error instanceof AmbiguousError || error instanceof UsageError || isUserError(error)) return [400, first(error.message)];
  return [500, 'internal error (logged by the server)'];
}
