import { startApp, activity, post } from '../helpers/app';
import type { App } from '../../src/app';

// The two reference bots `npm run bench` measures the full bot against.
describe('bench reference bots', () => {
  let app: App;
  let url = '';
  beforeAll(async () => {
    ({ app, url } = await startApp({}, { echo: true }));
  });
  afterAll(async () => {
    await app.close();
  });

  it('when a message goes to /api/echo, then it is echoed and nothing is stored', async () => {
    const res = await post(url, activity({ text: 'hello', conversation: { id: 'echo-1' } }), {}, '/api/echo');
    expect(res.activities.map((a) => a.text)).toEqual(['echo: hello']);
    expect(app.db!.prepare('SELECT count(*) AS n FROM state WHERE key LIKE ?').get('%echo-1') as { n: number }).toEqual({ n: 0 });
  });

  it('when two messages go to /api/echo-state, then each is echoed and the conversation state is written durably each turn', async () => {
    for (const text of ['one', 'two']) {
      const res = await post(url, activity({ text, conversation: { id: 'state-1' } }), {}, '/api/echo-state');
      expect(res.activities.map((a) => a.text)).toEqual([`echo: ${text}`]);
    }
    const row = app.db!.prepare('SELECT value FROM state WHERE key = ?').get('webchat/conversations/state-1') as { value: string };
    expect(JSON.parse(row.value)).toEqual({ echoes: 2 });
  });

  it('when the app is built without the bench option, then neither reference bot is mounted', async () => {
    const plain = await startApp();
    try {
      expect((await post(plain.url, activity({ text: 'x' }), {}, '/api/echo-state')).status).toBe(404);
      expect((await post(plain.url, activity({ text: 'x' }), {}, '/api/echo')).status).toBe(404);
    } finally {
      await plain.app.close();
    }
  });
});
