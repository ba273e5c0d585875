import { ConversationLogs } from '../../src/directline/conversations';
import { TokenService } from '../../src/directline/tokens';

const message = (text: string) => ({ type: 'message', text });

describe('ConversationLogs', () => {
  it('when more activities arrive than the log keeps, then the oldest go and watermarks keep rising', () => {
    const logs = new ConversationLogs({ maxActivities: 3 });
    const { conversation } = logs.open('c1', 'dl_u');
    for (let i = 1; i <= 5; i++) logs.append(conversation, message(`m${i}`));
    const all = logs.after(conversation, undefined);
    expect(all.activities.map((a) => a.text)).toEqual(['m3', 'm4', 'm5']);
    expect(all.watermark).toBe('5');
    expect(logs.after(conversation, 4).activities.map((a) => a.text)).toEqual(['m5']);
    expect(logs.after(conversation, 5)).toEqual({ activities: [], watermark: '5' });
  });

  it('when a conversation sits idle past the expiry, then it is gone and its streams are told', () => {
    let now = 0;
    const logs = new ConversationLogs({ idleMs: 1000, now: () => now });
    const { conversation } = logs.open('c1', 'dl_u');
    const heard: unknown[] = [];
    logs.subscribe(conversation, (set) => heard.push(set));
    now = 900;
    expect(logs.get('c1')).toBeDefined();
    now = 2000;
    logs.sweep();
    expect(logs.get('c1')).toBeUndefined();
    expect(heard).toEqual([null]);
    expect(logs.open('c1', 'dl_u').created).toBe(true);
  });

  it('when the conversation limit is reached, then the least recently used one makes room', () => {
    let now = 0;
    const logs = new ConversationLogs({ maxConversations: 2, now: () => now++ });
    logs.open('a', 'dl_a');
    logs.open('b', 'dl_b');
    logs.get('a');
    logs.open('c', 'dl_c');
    expect([logs.get('a') !== undefined, logs.get('b') !== undefined, logs.get('c') !== undefined]).toEqual([true, false, true]);
    expect(logs.size).toBe(2);
  });

  it('when an activity is appended, then listeners get it with its id and watermark', () => {
    const logs = new ConversationLogs();
    const { conversation } = logs.open('c1', 'dl_u');
    const heard: unknown[] = [];
    logs.subscribe(conversation, (set) => heard.push(set));
    const stored = logs.append(conversation, message('hi'));
    expect(stored.id).toBe('c1|0000001');
    expect(heard).toEqual([{ activities: [stored], watermark: '1' }]);
  });
});

describe('TokenService', () => {
  const secret = 'x'.repeat(32);

  it('when a token is issued, then it verifies with its conversation and user until it expires', () => {
    let now = 1_000_000;
    const tokens = new TokenService(secret, 60, () => now);
    const { token, expires_in } = tokens.issue('conv', 'dl_u');
    expect(expires_in).toBe(60);
    expect(tokens.verify(token)).toEqual({ ok: true, claims: expect.objectContaining({ conv: 'conv', user: 'dl_u' }) });
    now += 61_000;
    expect(tokens.verify(token)).toEqual({ ok: false, status: 403, error: 'token expired' });
  });

  it('when no secret is configured, then two processes do not accept each other’s tokens', () => {
    const a = new TokenService(undefined, 60);
    const b = new TokenService(undefined, 60);
    expect(b.verify(a.issue('conv', 'dl_u').token)).toMatchObject({ ok: false, status: 401 });
  });

  it('when the same secret is configured, then another instance accepts the token', () => {
    expect(new TokenService(secret, 60).verify(new TokenService(secret, 60).issue('conv', 'dl_u').token).ok).toBe(true);
  });

  it('when a token uses another algorithm header, then it is refused', () => {
    const tokens = new TokenService(secret, 60);
    const [, payload, signature] = tokens.issue('conv', 'dl_u').token.split('.');
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    expect(tokens.verify(`${none}.${payload}.${signature}`)).toMatchObject({ ok: false, status: 401 });
    expect(tokens.verify(`${none}.${payload}.`)).toMatchObject({ ok: false, status: 401 });
  });
});
