import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import * as http from 'node:http';
import { webChatBundlePath } from '../../src/http/web';
import { useApp } from '../helpers/app';

/** A raw GET (fetch would decompress gzip and hide the encoding). */
function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

describe('the website chat assets', () => {
  const base = useApp();

  it('when the demo page is requested, then it is HTML with a strict self-only policy and no referrer', async () => {
    const res = await get(`${base()}/`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toMatch(/connect-src 'self'/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
    const html = res.body.toString('utf8');
    expect(html).toMatch(/Greater Boston Addiction Centers/);
    expect(html).toMatch(/<script src="\/widget\.js"[^>]*data-open="true"/);
  });

  it('when the demo page is requested twice, then each response has its own style nonce, matching the policy', async () => {
    const nonces = [];
    for (let i = 0; i < 2; i++) {
      const res = await get(`${base()}/`);
      const nonce = /'nonce-([^']+)'/.exec(String(res.headers['content-security-policy']))?.[1];
      expect(nonce).toBeTruthy();
      expect(res.body.toString('utf8')).toContain(`<style nonce="${nonce}">`);
      expect(res.body.toString('utf8')).not.toContain('{{nonce}}');
      nonces.push(nonce);
    }
    expect(nonces[0]).not.toBe(nonces[1]);
  });

  it('when the page or widget is read, then it names no other origin to load from', async () => {
    for (const file of ['/', '/widget.js', '/widget.css']) {
      const text = (await get(`${base()}${file}`)).body.toString('utf8');
      // Only the SVG namespace (an identifier, never fetched) may look like a URL.
      const urls = (text.match(/(?:https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}[^\s"')]*/gi) ?? []).filter((u) => !u.startsWith('http://www.w3.org/2000/svg'));
      expect({ file, urls }).toEqual({ file, urls: [] });
    }
  });

  it('when the widget script is requested, then it is JavaScript that other sites may load', async () => {
    const res = await get(`${base()}/widget.js`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/javascript; charset=utf-8');
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(res.headers['cache-control']).toMatch(/max-age=\d+/);
    expect(res.body.toString('utf8')).toMatch(/createDirectLine/);
  });

  it('when the widget styles are requested, then they are CSS', async () => {
    const res = await get(`${base()}/widget.css`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(res.body.toString('utf8')).toMatch(/\.gbac-chat-launcher/);
  });

  it('when Web Chat is requested with gzip, then it is the installed bundle, compressed and cacheable', async () => {
    const res = await get(`${base()}/webchat/webchat.js`, { 'accept-encoding': 'gzip, br' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/javascript; charset=utf-8');
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['vary']).toBe('Accept-Encoding');
    expect(res.headers['cache-control']).toBe('public, max-age=86400');
    expect(gunzipSync(res.body).equals(readFileSync(webChatBundlePath()))).toBe(true);
  });

  it('when Web Chat is requested without gzip, then it comes uncompressed', async () => {
    const res = await get(`${base()}/webchat/webchat.js`);
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(Number(res.headers['content-length'])).toBe(readFileSync(webChatBundlePath()).length);
  });

  it('when a file outside the web folder is asked for, then it is a 404 JSON error', async () => {
    for (const p of ['/webchat/../package.json', '/webchat/webchat-es5.js', '/widget.js.map', '/src/web/index.html']) {
      const res = await get(`${base()}${p}`);
      expect({ p, status: res.status }).toEqual({ p, status: 404 });
      expect(JSON.parse(res.body.toString('utf8'))).toEqual({ error: 'not found' });
    }
  });
});

describe('the demo page with Azure Direct Line', () => {
  const base = useApp({ DIRECTLINE_SECRET: 'an-azure-direct-line-secret' });

  it('when DIRECTLINE_SECRET is set, then the page may also reach Azure Direct Line (https and wss), and nothing else', async () => {
    const res = await get(`${base()}/`);
    const connect = /connect-src ([^;]*)/.exec(String(res.headers['content-security-policy']))?.[1];
    expect(connect).toBe("'self' https://directline.botframework.com wss://directline.botframework.com");
  });
});
