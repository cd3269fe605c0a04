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

/**
 * A browser always sends its page's Origin with a WebSocket upgrade: only the shell's own
 * page (the origin the Host header names) may connect, never another site or a sandboxed
 * `null` one. Clients that are not browsers send no Origin and are let through on the token.
 */
export function isAllowedOrigin(origin: string | undefined, hostHeader: string | undefined): boolean {
  if (origin === undefined) return true;
  return hostHeader !== undefined && origin.toLowerCase() === `http://${hostHeader.toLowerCase()}`;
}
