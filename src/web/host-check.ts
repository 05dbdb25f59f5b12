// DNS rebinding: a web page elsewhere can point its own name at 127.0.0.1 and read a loopback
// server's answers (reading needs no token). A server on a loopback address therefore answers only
// requests addressed to a loopback name; one listening wider answers whatever name reaches it.

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1']);

export function isLoopbackAddress(host: string): boolean {
  return LOOPBACK_NAMES.has(host) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** The Host header's name, without its port or IPv6 brackets; undefined when malformed. */
export function hostName(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/.exec(header.trim());
  return match ? match[1].replace(/^\[|\]$/g, '').toLowerCase() : undefined;
}

export function isAllowedHost(header: string | undefined, listenHost: string): boolean {
  if (!isLoopbackAddress(listenHost)) return true;
  const name = hostName(header);
  return name !== undefined && (isLoopbackAddress(name) || name.endsWith('.localhost'));
}
