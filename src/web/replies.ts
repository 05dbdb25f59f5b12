// Small replies and the bounded request body: JSON, one line of text, a body of at most MAX_BODY_BYTES.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** An action's body is a few fields ({"priority": 5}); anything larger is not one. */
export const MAX_BODY_BYTES = 16 * 1024;

export class BodyError extends Error {
  constructor(readonly status: number, message: string) { super(message); }
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  sendJsonText(res, status, JSON.stringify(value, null, 2) + '\n');
}

/** A JSON document already written out (as the CLI prints it: two-space indent, a newline). */
export function sendJsonText(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** One line of plain text: what a 4xx says, readable by curl and shown as-is by the page. */
export function sendLine(res: ServerResponse, status: number, line: string): void {
  const body = line.replace(/[\r\n]+/g, ' ') + '\n';
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** The request's JSON object body ({} when empty); too large or not JSON is a BodyError. */
export async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw new BodyError(413, `body too large (at most ${MAX_BODY_BYTES} bytes)`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new BodyError(413, `body too large (at most ${MAX_BODY_BYTES} bytes)`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  let value: unknown;
  try { value = JSON.parse(text); } catch { throw new BodyError(400, 'body is not JSON'); }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new BodyError(400, 'body must be a JSON object');
  return value as Record<string, unknown>;
}
