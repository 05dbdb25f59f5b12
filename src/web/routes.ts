// Which handler a request goes to: a pure decision on method and raw URL, so `..`, `%2e%2e`, odd
// names and wrong methods are refused here, before any file is named, with a one-line 4xx.
import { isSafeName } from '../spool/layout.js';

export type JobAction = 'pause' | 'resume' | 'retry' | 'remove' | 'priority';
export type NodeAction = 'pause' | 'resume' | 'drain';

export type Route =
  | { kind: 'page'; file: string }
  | { kind: 'jobs'; query: URLSearchParams }
  | { kind: 'job'; job: string }
  | { kind: 'log'; job: string; chunk: string; query: URLSearchParams }
  | { kind: 'preview'; job: string; frame: number }
  | { kind: 'nodes' }
  | { kind: 'events' }
  | { kind: 'metrics' }
  | { kind: 'job-action'; job: string; action: JobAction }
  | { kind: 'node-action'; node: string; action: NodeAction };

export type Decision = { ok: true; route: Route } | { ok: false; status: number; message: string };

const JOB_ACTIONS = new Set<string>(['pause', 'resume', 'retry', 'remove', 'priority']);
const NODE_ACTIONS = new Set<string>(['pause', 'resume', 'drain']);
/** The page's own files: a fixed list, never a path taken from the URL. */
export const PAGE_FILES = new Set(['index.html', 'style.css']);
const PAGE_SCRIPT = /^app\/[a-z][a-z0-9-]{0,40}\.js$/;
/** The import-free modules of src/text the page shares with the CLI (its `../../text/x.js` resolves here). */
const SHARED_SCRIPT = /^text\/[a-z][a-z0-9-]{0,40}\.js$/;
/** A preview as previews/paths.ts names it: the frame, padded, `.png`. */
const PREVIEW_NAME = /^(-?\d{1,9})\.png$/;
const MAX_URL_LENGTH = 2048;

const refuse = (status: number, message: string): Decision => ({ ok: false, status, message });

export function decideRoute(method: string, rawUrl: string): Decision {
  if (rawUrl.length > MAX_URL_LENGTH) return refuse(414, 'URL too long');
  // segments are checked before decoding: an encoded slash or dot-dot never becomes a path part
  const [rawPath, rawQuery = ''] = rawUrl.split('?', 2);
  if (!rawPath.startsWith('/') || rawPath.includes('%') || rawPath.includes('\\')) return refuse(400, 'bad path');
  const parts = rawPath.split('/').slice(1);
  if (parts.some((p) => p === '.' || p === '..')) return refuse(400, 'bad path');
  const query = new URLSearchParams(rawQuery);
  const get = method === 'GET' || method === 'HEAD';
  const post = method === 'POST';
  const a = parts[0];
  if (a === 'api') return decideApi(parts.slice(1), get, post, query);
  if (!get) return refuse(405, `${method} is not allowed here`);
  if (a === 'favicon.ico' && parts.length === 1) return refuse(404, 'no icon');
  if (a === 'metrics' && parts.length === 1) return { ok: true, route: { kind: 'metrics' } };
  if (parts.length === 1 && (a === '' || a === 'index.html')) return { ok: true, route: { kind: 'page', file: 'index.html' } };
  if (parts.length === 1 && PAGE_FILES.has(a)) return { ok: true, route: { kind: 'page', file: a } };
  const script = parts.join('/');
  if (PAGE_SCRIPT.test(script) || SHARED_SCRIPT.test(script)) return { ok: true, route: { kind: 'page', file: script } };
  return refuse(404, 'not found');
}

function decideApi(parts: string[], get: boolean, post: boolean, query: URLSearchParams): Decision {
  const [a, b, c, d, e] = parts;
  const wrongMethod = refuse(405, 'method not allowed');
  if (a === 'events' && parts.length === 1) return get ? { ok: true, route: { kind: 'events' } } : wrongMethod;
  if (a === 'nodes' && parts.length === 1) return get ? { ok: true, route: { kind: 'nodes' } } : wrongMethod;
  if (a === 'jobs' && parts.length === 1) return get ? { ok: true, route: { kind: 'jobs', query } } : wrongMethod;
  if (a === 'nodes' && parts.length === 3) {
    if (!isSafeName(b)) return refuse(400, 'bad node name');
    if (!NODE_ACTIONS.has(c)) return refuse(404, `no node action '${c}' (pause, resume, drain)`);
    return post ? { ok: true, route: { kind: 'node-action', node: b, action: c as NodeAction } } : wrongMethod;
  }
  if (a !== 'jobs' || parts.length < 2) return refuse(404, 'not found');
  if (!isSafeName(b)) return refuse(400, 'bad job id');
  if (parts.length === 2) return get ? { ok: true, route: { kind: 'job', job: b } } : wrongMethod;
  if (parts.length === 3 && JOB_ACTIONS.has(c)) return post ? { ok: true, route: { kind: 'job-action', job: b, action: c as JobAction } } : wrongMethod;
  if (parts.length === 4 && c === 'previews') {
    const match = PREVIEW_NAME.exec(d);
    if (!match) return refuse(400, 'bad preview name (FRAME.png)');
    return get ? { ok: true, route: { kind: 'preview', job: b, frame: Number(match[1]) } } : wrongMethod;
  }
  if (parts.length === 5 && c === 'chunks' && e === 'log') {
    if (!isSafeName(d)) return refuse(400, 'bad chunk id');
    return get ? { ok: true, route: { kind: 'log', job: b, chunk: d, query } } : wrongMethod;
  }
  return refuse(404, 'not found');
}
