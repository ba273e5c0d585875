import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type * as restify from 'restify';
import { noStore } from './http';

/** Only our own files: no inline script or style, no other origin, no framing. */
export const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** src/staff/public, from the sources (tsx, tests) or from dist/ (npm start). */
export function publicDir(): string {
  const fromSource = path.resolve(__dirname, 'public');
  const fromDist = path.resolve(__dirname, '../../../src/staff/public');
  try {
    readFileSync(path.join(fromSource, 'index.html'));
    return fromSource;
  } catch {
    return fromDist;
  }
}

const FILES: Record<string, { file: string; type: string }> = {
  '/staff': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/staff/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/staff/console.js': { file: 'console.js', type: 'text/javascript; charset=utf-8' },
  '/staff/console.css': { file: 'console.css', type: 'text/css; charset=utf-8' },
  // The unanswered review: its own page, the same login (its API needs the session).
  '/staff/unanswered': { file: 'unanswered.html', type: 'text/html; charset=utf-8' },
  '/staff/unanswered.js': { file: 'unanswered.js', type: 'text/javascript; charset=utf-8' },
};

/** The console's pages and their assets, read once at start-up. */
export function registerStaffPage(server: restify.Server, dir = publicDir()): void {
  const cache = new Map<string, Buffer>();
  for (const { file } of Object.values(FILES)) if (!cache.has(file)) cache.set(file, readFileSync(path.join(dir, file)));
  for (const [route, { file, type }] of Object.entries(FILES)) {
    server.get(route, async (_req: restify.Request, res: restify.Response) => {
      const body = cache.get(file)!;
      noStore(res);
      res.header('Content-Security-Policy', CONSOLE_CSP);
      res.header('Cross-Origin-Opener-Policy', 'same-origin');
      res.writeHead(200, { 'Content-Type': type, 'Content-Length': body.length });
      res.end(body);
    });
  }
}
