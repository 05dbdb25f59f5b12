// The address a web server listens on: HOST:PORT, IPv6 in brackets ([::1]:8470).
import { UsageError } from '../errors.js';

/** Loopback by default: reading needs no token, so only who asks for more gets more. */
export const DEFAULT_WEB_LISTEN = '127.0.0.1:8470';

export function parseListenAddress(raw: string, flag: string): { host: string; port: number } {
  const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(raw.trim());
  const port = match ? Number(match[2]) : NaN;
  if (!match || port > 65535) throw new UsageError(`${flag} must be HOST:PORT (e.g. ${DEFAULT_WEB_LISTEN}), got '${raw}'`);
  return { host: match[1].replace(/^\[|\]$/g, ''), port };
}
