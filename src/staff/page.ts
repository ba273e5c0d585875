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

/** Chart.js's browser bundle, from the installed package (its "exports" hide dist/: found beside its main entry). */
export function chartJsFile(): string {
  return path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.js');
}

const HTML = 'text/html; charset=utf-8';
const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

/** Routes and their files, in the public folder (or an absolute path). */
const FILES: Record<string, { file: string; type: string }> = {
  '/staff': { file: 'index.html', type: HTML },
  '/staff/': { file: 'index.html', type: HTML },
  '/staff/console.js': { file: 'console.js', type: JS },
  '/staff/console.css': { file: 'console.css', type: CSS },
  '/staff/reports': { file: 'reports.html', type: HTML },
  '/staff/reports.js': { file: 'reports.js', type: JS },
  '/staff/reports.css': { file: 'reports.css', type: CSS },
  // Served by the bot itself: no CDN, and the console's CSP allows scripts from this origin only.
  '/staff/vendor/chart.umd.js': { file: chartJsFile(), type: JS },
  // The unanswered review: its own page, the same login (its API needs the session).
  '/staff/unanswered': { file: 'unanswered.html', type: HTML },
  '/staff/unanswered.js': { file: 'unanswered.js', type: JS },
};

/** The console, Reports and review pages and their assets, read once at start-up. */
export function registerStaffPage(server: restify.Server, dir = publicDir()): void {
  const cache = new Map<string, Buffer>();
  for (const { file } of Object.values(FILES)) if (!cache.has(file)) cache.set(file, readFileSync(path.resolve(dir, file)));
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
