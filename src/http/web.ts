import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type * as restify from 'restify';

/**
 * The website chat: the demo page (GET /), the embeddable widget (GET /widget.js,
 * /widget.css) and Web Chat itself (GET /webchat/webchat.js), all from this service,
 * so a visitor's browser talks to nobody else (no CDN, fonts, trackers).
 */

const gzipAsync = promisify(gzip);

/** src/web, whether we run from the sources (tsx, jest) or from dist/src/http. */
export function webDir(): string {
  const fromSource = path.resolve(__dirname, '../web');
  const fromDist = path.resolve(__dirname, '../../../src/web');
  return existsSync(path.join(fromSource, 'index.html')) ? fromSource : fromDist;
}

/** botframework-webchat's bundle. Its package "exports" hide dist/, so find the package root from its main entry. */
export function webChatBundlePath(): string {
  let dir = path.dirname(require.resolve('botframework-webchat'));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('botframework-webchat package not found');
    dir = parent;
  }
  return path.join(dir, 'dist', 'webchat.js');
}

/**
 * The hash of an empty <style> element. Web Chat 4.18 hands its transcript scroller
 * (react-scroll-to-bottom) no nonce; that emotion cache inserts an empty <style> and fills it
 * through the CSSOM, which CSP does not govern. Allowing exactly an empty element lets it
 * through without a violation, and lets nothing else in.
 */
export const EMPTY_STYLE_HASH = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='";

/**
 * The demo page's policy: everything from our own origin. Web Chat injects its styles
 * as <style> elements (emotion), allowed by the per-request nonce it is handed; no
 * 'unsafe-inline', no 'unsafe-eval'.
 */
export function pageCsp(nonce: string, connectSrc: string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}' ${EMPTY_STYLE_HASH}`,
    "img-src 'self' data: blob:",
    "media-src 'self' data: blob:",
    "font-src 'self'",
    ["connect-src 'self'", ...connectSrc].join(' '),
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const COMMON_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

interface Asset {
  body: Buffer;
  gzipped?: Buffer;
  type: string;
  cacheControl: string;
}

function send(req: restify.Request, res: restify.Response, status: number, asset: Asset, extra: Record<string, string> = {}): void {
  const useGzip = !!asset.gzipped && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  const body = useGzip && asset.gzipped ? asset.gzipped : asset.body;
  const headers: Record<string, string | number> = {
    ...COMMON_HEADERS,
    'Content-Type': asset.type,
    'Content-Length': body.length,
    'Cache-Control': asset.cacheControl,
    ...extra,
  };
  if (asset.gzipped) headers['Vary'] = 'Accept-Encoding';
  if (useGzip) headers['Content-Encoding'] = 'gzip';
  res.writeHead(status, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** Read (and gzip) a file once, on first use; later requests share the result. */
function lazyAsset(file: () => string, type: string, cacheControl: string): () => Promise<Asset> {
  let loading: Promise<Asset> | undefined;
  return () =>
    (loading ??= (async () => {
      const body = readFileSync(file());
      const gzipped = body.length > 1024 ? await gzipAsync(body) : undefined;
      return { body, gzipped, type, cacheControl };
    })().catch((err: unknown) => {
      loading = undefined; // let a later request try again
      throw err;
    }));
}

export interface WebOptions {
  /** Where index.html, widget.js and widget.css live (tests may point elsewhere). */
  dir?: string;
  /**
   * A Direct Line service the page must also reach (Azure's, when DIRECTLINE_SECRET is set:
   * tokens/generate then hands the page Azure's domain). Its https and wss origins join connect-src.
   */
  directLineDomain?: string;
}

/** The https and wss origins of a Direct Line domain, for connect-src. */
export function connectSources(domain: string | undefined): string[] {
  if (!domain) return [];
  const origin = new URL(domain).origin;
  return [origin, origin.replace(/^http/, 'ws')];
}

export function registerWeb(server: restify.Server, options: WebOptions = {}): void {
  const dir = options.dir ?? webDir();
  const connectSrc = connectSources(options.directLineDomain);
  const JS = 'application/javascript; charset=utf-8';
  // The widget changes with our releases: browsers revalidate it after five minutes.
  const widgetJs = lazyAsset(() => path.join(dir, 'widget.js'), JS, 'public, max-age=300');
  const widgetCss = lazyAsset(() => path.join(dir, 'widget.css'), 'text/css; charset=utf-8', 'public, max-age=300');
  const webChat = lazyAsset(webChatBundlePath, JS, 'public, max-age=86400');
  const page = lazyAsset(() => path.join(dir, 'index.html'), 'text/html; charset=utf-8', 'no-store');

  const failed = (res: restify.Response) => {
    if (res.headersSent) return;
    res.writeHead(500, { 'Content-Type': 'application/json', ...COMMON_HEADERS });
    res.end(JSON.stringify({ error: 'internal error' }));
  };

  const serve = (load: () => Promise<Asset>, extra: Record<string, string> = {}) => async (req: restify.Request, res: restify.Response) => {
    try {
      // Scripts are meant to be loaded by other sites (the embed): say so for sites that isolate themselves (COEP).
      send(req, res, 200, await load(), { 'Cross-Origin-Resource-Policy': 'cross-origin', ...extra });
    } catch {
      failed(res);
    }
  };

  const demo = async (req: restify.Request, res: restify.Response) => {
    try {
      const template = await page();
      const nonce = randomBytes(16).toString('base64');
      const html = Buffer.from(template.body.toString('utf8').replaceAll('{{nonce}}', nonce), 'utf8');
      send(req, res, 200, { ...template, body: html, gzipped: undefined }, {
        'Content-Security-Policy': pageCsp(nonce, connectSrc),
        'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
        'Cross-Origin-Opener-Policy': 'same-origin',
      });
    } catch {
      failed(res);
    }
  };

  for (const method of ['get', 'head'] as const) {
    server[method]('/', demo);
    server[method]('/widget.js', serve(widgetJs));
    server[method]('/widget.css', serve(widgetCss));
    server[method]('/webchat/webchat.js', serve(webChat));
  }
}
