// The GET routes that read the spool: the CLI's documents, a chunk's log and a frame's preview.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FarmContext } from '../claim/context.js';
import { resolveJobRef } from '../jobs/summary.js';
import { previewFile } from '../previews/paths.js';
import { jobDocument, jobsDocument, listFilterFrom, nodesListDocument, readChunkLog } from './documents.js';
import type { DocCache } from './doc-cache.js';
import { readSpoolFile } from './files.js';
import type { Route } from './routes.js';
import { sendJsonText, sendLine } from './replies.js';

/** A preview is a 320-pixel-wide PNG: far under this. */
const PREVIEW_MAX_BYTES = 8 * 1024 * 1024;

/** The documents' JSON text, shared by the requests of one poll (doc-cache.ts). */
export type DocTexts = DocCache<string>;

const asText = (value: unknown) => JSON.stringify(value, null, 2) + '\n';

export async function handleRead(ctx: FarmContext, docs: DocTexts, route: Route, req: IncomingMessage, res: ServerResponse): Promise<void> {
  switch (route.kind) {
    case 'jobs': {
      // the parameters are checked before the cache is asked: a bad one is a 400 every time
      const query = route.query;
      listFilterFrom(query);
      return sendJsonText(res, 200, await docs.get(`jobs?${[...query].sort().join('&')}`, async () => asText(await jobsDocument(ctx, query, Date.now()))));
    }
    case 'job': return sendJsonText(res, 200, await docs.get(`job:${route.job}`, async () => asText(await jobDocument(ctx, route.job))));
    case 'nodes': return sendJsonText(res, 200, await docs.get('nodes', async () => asText(await nodesListDocument(ctx))));
    case 'log': {
      const { attempt, result } = await readChunkLog(ctx, route.job, route.chunk, route.query);
      if (!result.ok) return sendLine(res, result.status, result.message);
      const { data, start, size } = result.slice;
      res.writeHead(200, {
        'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': data.length,
        'X-Log-Attempt': String(attempt), 'X-Log-Start': String(start), 'X-Log-Size': String(size),
      });
      return void res.end(req.method === 'HEAD' ? undefined : data);
    }
    case 'preview': {
      const job = await resolveJobRef(ctx, route.job);
      const result = readSpoolFile(previewFile(ctx.layout, job.id, route.frame), 0, PREVIEW_MAX_BYTES);
      if (!result.ok) return sendLine(res, result.status, result.message);
      // a frame rendered again gets a new file: the mtime tells the browser's cache
      const etag = `"${Math.round(result.slice.mtimeMs)}-${result.slice.size}"`;
      if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { ETag: etag }).end();
      res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': result.slice.data.length, ETag: etag, 'Cache-Control': 'no-cache' });
      return void res.end(req.method === 'HEAD' ? undefined : result.slice.data);
    }
    default: return sendLine(res, 404, 'not found');
  }
}
