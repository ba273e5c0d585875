import * as net from 'node:net';
import { Readable, Writable } from 'node:stream';
import nock from 'nock';
import { createApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { formatReplies, resolveInput, runChat } from '../../scripts/chat';

/** A writable that keeps everything written to it. */
function collector(): Writable & { text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  return Object.assign(stream, { text: () => chunks.join('') });
}

/** A loopback port that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('npm run chat', () => {
  let app: App;
  let url: string;

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    app = createApp(loadConfig({ SQLITE_PATH: ':memory:', LOG_LEVEL: 'silent' }));
    url = await app.listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    await app?.close();
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it('when a question is piped in, then the welcome and an answer about IOP are printed and it exits 0', async () => {
    const output = collector();
    const code = await runChat({ url, input: Readable.from(['what is iop\n']), output });
    const text = output.text();
    expect(code).toBe(0);
    expect(text).toMatch(/^Bot: .*admissions assistant/m);
    expect(text).toMatch(/\[1\] What is IOP\?/);
    expect(text).toMatch(/You: what is iop/);
    expect(text).toMatch(/Intensive Outpatient Program \(IOP\) is a structured/);
    // The welcome comes before the answer.
    expect(text.indexOf('admissions assistant')).toBeLessThan(text.indexOf('You: what is iop'));
  });

  it('when a number is typed, then the value of that choice is sent', async () => {
    const output = collector();
    const code = await runChat({ url, input: Readable.from(['1\n']), output });
    expect(code).toBe(0);
    expect(output.text()).toMatch(/You: 1 \(what is iop\)/);
    expect(output.text()).toMatch(/non-residential/);
  });

  it('when several lines are piped in, then each reply follows its own line, in order', async () => {
    const output = collector();
    const code = await runChat({ url, input: Readable.from(['hi\nwhat is iop\ntalk to a person\n']), output });
    const text = output.text();
    expect(code).toBe(0);
    const hi = text.indexOf('You: hi');
    const iop = text.indexOf('You: what is iop');
    const person = text.indexOf('You: talk to a person');
    expect(hi).toBeGreaterThan(0);
    expect(iop).toBeGreaterThan(hi);
    expect(person).toBeGreaterThan(iop);
    expect(text.slice(iop, person)).toMatch(/non-residential/);
    expect(text.slice(person)).toMatch(/Call: \+1877/);
  });

  it('when the channel is sms, then the choices arrive as plain text and numbers go to the bot', async () => {
    const output = collector();
    const code = await runChat({ url, channel: 'sms', input: Readable.from(['1\n']), output });
    const text = output.text();
    expect(code).toBe(0);
    expect(text).toMatch(/Reply with a number:/);
    expect(text).not.toMatch(/\[1\]/);
    expect(text).toMatch(/You: 1\n/);
    expect(text).toMatch(/non-residential/);
  });

  it('when the bot is not reachable, then one clear line is printed and it exits 1', async () => {
    const port = await closedPort();
    const output = collector();
    const code = await runChat({ url: `http://127.0.0.1:${port}/api/messages`, input: Readable.from(['hi\n']), output });
    expect(code).toBe(1);
    const lines = output.text().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^Cannot reach the bot at http://127\\.0\\.0\\.1:${port}/api/messages: is it running\\? Start it with npm start`));
  });
});

describe('formatReplies', () => {
  it('when a web reply has suggested actions and a tap-to-call card, then it prints the text, "Call:" and numbered choices', () => {
    const { text, choices } = formatReplies([
      {
        type: 'message',
        text: 'Call us.',
        attachments: [{ contentType: 'application/vnd.microsoft.card.hero', content: { buttons: [{ type: 'openUrl', title: 'Call (877) 920-6583', value: 'tel:+18779206583' }] } }],
        suggestedActions: { actions: [{ type: 'imBack', title: 'What is IOP?', value: 'what is iop' }] },
      },
    ]);
    expect(text).toBe('Bot: Call us.\n  Call: +18779206583\n  [1] What is IOP?\n');
    expect(choices).toEqual([{ label: 'What is IOP?', value: 'what is iop' }]);
  });

  it('when a Teams reply is an Adaptive Card, then its text and Submit actions are printed', () => {
    const { text, choices } = formatReplies([
      {
        type: 'message',
        summary: 'Hello',
        attachments: [
          {
            contentType: 'application/vnd.microsoft.card.adaptive',
            content: {
              body: [{ type: 'TextBlock', text: 'Hello\nthere' }],
              actions: [
                { type: 'Action.OpenUrl', title: 'Call', url: 'tel:+18779206583' },
                { type: 'Action.Submit', title: 'Talk to a person', data: { msteams: { type: 'imBack', value: 'talk to a person' } } },
              ],
            },
          },
        ],
      },
    ]);
    expect(text).toBe('Bot: Hello\n     there\n  Call: +18779206583\n  [1] Talk to a person\n');
    expect(choices).toEqual([{ label: 'Talk to a person', value: 'talk to a person' }]);
  });

  it('when a number is out of range or text is typed, then the line is sent as typed', () => {
    const choices = [{ label: 'A', value: 'a' }];
    expect(resolveInput('1', choices)).toBe('a');
    expect(resolveInput('2', choices)).toBe('2');
    expect(resolveInput('hello', choices)).toBe('hello');
  });
});
