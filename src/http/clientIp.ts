import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

const FORWARDED = ['x-forwarded-for', 'forwarded', 'x-real-ip'];

/** Whether the request carries a proxy's forwarding headers. */
export function viaProxy(req: IncomingMessage): boolean {
  return FORWARDED.some((h) => req.headers[h] !== undefined);
}

/** "::ffff:1.2.3.4" → "1.2.3.4"; "1.2.3.4:5678" and "[::1]:5678" (Azure App Service adds the port) → the address. */
function plainAddress(raw: string | undefined): string | undefined {
  let value = raw?.trim();
  if (!value) return undefined;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed) value = bracketed[1]!;
  else if (/^[\d.]+:\d+$/.test(value)) value = value.slice(0, value.lastIndexOf(':'));
  if (value.toLowerCase().startsWith('::ffff:') && isIP(value.slice(7)) === 4) value = value.slice(7);
  return isIP(value) ? value.toLowerCase() : undefined;
}

/**
 * The client's address, for rate limits. The socket's peer, unless `trustProxy`
 * (TRUST_PROXY=true: a reverse proxy or App Service in front): then the last
 * X-Forwarded-For entry, the address the proxy itself saw. The leftmost entries
 * are whatever the client claimed, so they are never used.
 */
export function clientIp(req: IncomingMessage, trustProxy: boolean): string {
  const socket = plainAddress(req.socket.remoteAddress) ?? 'unknown';
  if (!trustProxy) return socket;
  const header = req.headers['x-forwarded-for'];
  const entries = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',');
  return plainAddress(entries[entries.length - 1]) ?? socket;
}

export function isLoopback(ip: string): boolean {
  return ip === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(ip);
}
