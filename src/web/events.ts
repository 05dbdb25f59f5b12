// GET /api/events: server-sent events. Every open page is one listener of the server's one watcher;
// a page that does not read what it is sent (its buffer past MAX_PENDING_BYTES) is dropped, never
// waited for, so a slow client costs memory it is allowed and nothing else.
import type { ServerResponse } from 'node:http';
import type { FarmWatcher, WatchEvent } from './watcher.js';

/** What a page may leave unread before it is dropped (a few full farm views). */
export const MAX_PENDING_BYTES = 4 * 1024 * 1024;
/** A comment line this often keeps proxies from closing a quiet stream. */
export const HEARTBEAT_MS = 15_000;
/** Open event streams per server; past it a page is told to come back later (503). */
export const MAX_STREAMS = 200;

/** One event in the text/event-stream format: data as one JSON line (JSON escapes newlines). */
export function formatEvent(type: string, data: unknown): string {
  return `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}

export function eventOf(event: WatchEvent): string {
  return event.type === 'farm' ? formatEvent('farm', event.changes) : formatEvent('job', { id: event.id });
}

export class EventStreams {
  private readonly streams = new Set<ServerResponse>();

  constructor(private readonly watcher: FarmWatcher, private readonly log: (line: string) => void) {}

  get count(): number { return this.streams.size; }

  /** Whether one more stream may open. */
  hasRoom(): boolean { return this.streams.size < MAX_STREAMS; }

  async open(res: ServerResponse): Promise<void> {
    this.streams.add(res);
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' });
    // an idle stream has no socket timeout: the heartbeat and the backlog check watch it instead
    res.socket?.setTimeout(0);
    const send = (text: string) => {
      if (res.writableLength > MAX_PENDING_BYTES) {
        this.log('web: an event stream read too slowly: dropped');
        return void res.destroy();
      }
      res.write(text);
    };
    const unsubscribe = this.watcher.subscribe((event) => send(eventOf(event)));
    const heartbeat = setInterval(() => send(': beat\n\n'), HEARTBEAT_MS);
    res.on('close', () => { this.streams.delete(res); unsubscribe(); clearInterval(heartbeat); });
    try {
      if (!res.destroyed) send(formatEvent('snapshot', await this.watcher.read()));
    } catch (error) {
      send(formatEvent('problem', { message: `reading the spool failed: ${(error as Error).message}` }));
    }
  }

  closeAll(): void {
    for (const res of this.streams) res.destroy();
  }
}
