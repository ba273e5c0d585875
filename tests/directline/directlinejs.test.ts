import { DirectLine, type Activity } from 'botframework-directlinejs';
import { Observable } from 'rxjs/Observable';
import WebSocket from 'ws';
import { useApp } from '../helpers/app';
import { botTexts, generate } from './client';

/**
 * The real Web Chat transport (botframework-directlinejs) against our endpoint, in Node:
 * its browser XMLHttpRequest is replaced by fetch, its WebSocket by `ws`.
 */
interface AjaxRequest {
  method?: string;
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
}

function fetchAjax(request: AjaxRequest) {
  return Observable.create((subscriber: { next(v: unknown): void; complete(): void; error(e: unknown): void }) => {
    const controller = new AbortController();
    fetch(request.url, {
      method: request.method ?? 'GET',
      headers: request.headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: controller.signal,
    })
      .then(async (res) => {
        const text = await res.text();
        const response = text ? JSON.parse(text) : null;
        if (res.ok) {
          subscriber.next({ status: res.status, response });
          subscriber.complete();
        } else subscriber.error({ status: res.status, response, xhr: { getResponseHeader: () => null } });
      })
      .catch((err: Error) => {
        if (err.name !== 'AbortError') subscriber.error({ status: 0, message: err.message });
      });
    return () => controller.abort();
  });
}

async function until(predicate: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`never got ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('botframework-directlinejs (the Web Chat transport) against our endpoint', () => {
  const base = useApp();
  const globals = globalThis as { WebSocket?: unknown };
  const original = globals.WebSocket;
  beforeAll(() => {
    // directlinejs checks for a global WebSocket before it uses the one it is given.
    globals.WebSocket = WebSocket;
  });
  afterAll(() => {
    globals.WebSocket = original;
  });

  it.each([
    ['the WebSocket stream', true],
    ['watermark polling', false],
  ])('when Web Chat connects with a token over %s, then it gets the welcome, its echo and the answer', async (_name, webSocket) => {
    const { token } = await generate(base());
    const directLine = new DirectLine({
      token,
      domain: `${base()}/v3/directline`,
      webSocket,
      pollingInterval: 200,
      WebSocket,
      ajax: fetchAjax,
    } as unknown as ConstructorParameters<typeof DirectLine>[0]);
    const received: Activity[] = [];
    const subscription = directLine.activity$.subscribe((activity) => received.push(activity));
    try {
      await until(() => /admissions/i.test(botTexts(received as never[])), 'the welcome');
      const id = await new Promise<string>((resolve, reject) =>
        directLine
          .postActivity({ type: 'message', from: { id: 'visitor', name: 'Visitor' }, text: 'what is iop', channelData: { clientActivityID: 'js-1' } } as Activity)
          .subscribe(resolve, reject),
      );
      expect(id).toMatch(/\|\d+$/);
      await until(() => /intensive outpatient/i.test(botTexts(received.slice(1) as never[])), 'the answer');
      expect(received.find((a) => a.id === id)).toMatchObject({ text: 'what is iop', channelData: { clientActivityID: 'js-1' } });
    } finally {
      subscription.unsubscribe();
      directLine.end();
    }
  });
});
