import { connect } from 'node:net';

/** A small Direct Line 3.0 client for the tests: what botframework-directlinejs sends, by hand. */
export interface Json {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export async function call(base: string, method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Json> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body };
}

export const DL = '/v3/directline';

export async function generate(base: string): Promise<{ conversationId: string; token: string; expires_in: number }> {
  const res = await call(base, 'POST', `${DL}/tokens/generate`);
  if (res.status !== 200) throw new Error(`generate: ${res.status}`);
  return res.body;
}

/** Token, then POST /conversations: what Web Chat does with `createDirectLine({ token })`. */
export async function startConversation(base: string): Promise<{ conversationId: string; token: string; streamUrl: string; status: number }> {
  const { token } = await generate(base);
  const res = await call(base, 'POST', `${DL}/conversations`, { token, body: { user: {} } });
  return { ...res.body, status: res.status };
}

export async function postText(base: string, conversationId: string, token: string, text: string, extra: Record<string, unknown> = {}): Promise<Json> {
  return call(base, 'POST', `${DL}/conversations/${conversationId}/activities`, {
    token,
    body: { type: 'message', text, from: { id: 'someone', name: 'Visitor' }, ...extra },
  });
}

export async function activities(base: string, conversationId: string, token: string, watermark?: string): Promise<Json> {
  const query = watermark === undefined ? '' : `?watermark=${encodeURIComponent(watermark)}`;
  return call(base, 'GET', `${DL}/conversations/${conversationId}/activities${query}`, { token });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function botTexts(list: Array<Record<string, any>>): string {
  return list
    .filter((a) => a.from?.role === 'bot')
    .map((a) => [a.text, ...(a.attachments ?? []).map((x: { content?: { text?: string } }) => x.content?.text ?? '')].join(' '))
    .join(' ');
}

/**
 * A WebSocket upgrade by hand, to any request target: the status the server answers with,
 * resolved once the server has closed the socket (an upgrade left unanswered never resolves).
 */
export function rawUpgrade(base: string, target: string, headers: Record<string, string> = {}): Promise<number> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    let answer = '';
    const socket = connect(Number(port), hostname, () => {
      const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
      socket.write(`GET ${target} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n${extra}\r\n`);
    });
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3}) /.exec(answer)?.[1] ?? 0)));
  });
}
