/** Addresses the browser shell may bind without the user asking for more. */
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.has(host) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * Refuses a Host header that names another machine: with DNS rebinding a page from
 * elsewhere could otherwise reach a loopback server under a foreign name.
 */
export function isAllowedHostHeader(header: string | undefined, port: number, bindHost: string, allowRemote: boolean): boolean {
  if (allowRemote) return true;
  if (!header) return false;
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(header);
  if (!match) return false;
  const name = match[1].replace(/^\[|\]$/g, '');
  const headerPort = Number(match[2] ?? 80);
  return headerPort === port && (isLoopbackHost(name) || name === bindHost);
}
