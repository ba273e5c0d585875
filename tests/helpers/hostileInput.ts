import fc from 'fast-check';

/**
 * Generators of hostile requests for the fuzz test (tests/http/hostileInput.fuzz.test.ts):
 * malformed JSON, wrong types, missing fields, huge and deeply nested bodies, control
 * characters, RTL and emoji, unknown activity types, attachments only, forged
 * serviceUrls and invalid deliveryModes, for /api/messages and the Direct Line endpoint.
 */

export interface FuzzRequest {
  /** What was generated, for the statistics and the failure report. */
  kind: string;
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface FuzzTargets {
  maxBodyBytes: number;
  maxMessageChars: number;
  /** A loopback channel that records what the bot sends (the only serviceUrl replies may reach). */
  channelUrl: string;
  /** Direct Line conversations opened beforehand, each with its token. */
  conversations: Array<{ conversationId: string; token: string }>;
}

/** serviceUrls nobody should ever be able to make the bot call (with auth off). */
export const FORGED_SERVICE_URLS = [
  'http://169.254.169.254/latest/meta-data/',
  'http://[::ffff:169.254.169.254]/',
  'http://metadata.google.internal/computeMetadata/v1/',
  'file:///etc/passwd',
  'javascript:alert(1)',
  'data:text/plain,hello',
  'gopher://127.0.0.1:25/',
  'ftp://127.0.0.1/',
  'http://evil.example/',
  'https://smba.trafficmanager.net/amer/',
  'http://127.0.0.1.evil.example/',
  'http://localhost.evil.example/',
  'http://user:pass@169.254.169.254/',
  'http://10.0.0.1:8080/',
  'http://0.0.0.0/',
  '//evil.example/',
  'not a url',
  '',
];

const MISSING = Symbol('missing');

/** A short description for fast-check's failure report (bodies can be megabytes). */
export function describeFuzzRequest(req: FuzzRequest): string {
  const body = req.body === undefined ? '(none)' : req.body.length > 400 ? `${JSON.stringify(req.body.slice(0, 400))}… (${req.body.length} chars)` : JSON.stringify(req.body);
  return `${req.kind} ${req.method} ${req.path.slice(0, 160)} ${JSON.stringify(req.headers).slice(0, 200)} body=${body}`;
}

function printable(req: FuzzRequest): FuzzRequest {
  return Object.assign(req, { [fc.toStringMethod]: () => describeFuzzRequest(req) });
}

/** A field as generated, a wrong type, or left out. */
function field<T>(valid: fc.Arbitrary<T>, weights = { valid: 8, wrong: 1, missing: 1 }): fc.Arbitrary<T | unknown | typeof MISSING> {
  return fc.oneof(
    { weight: weights.valid, arbitrary: valid },
    { weight: weights.wrong, arbitrary: wrongType },
    { weight: weights.missing, arbitrary: fc.constant(MISSING) },
  );
}

function withoutMissing(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== MISSING));
}

/**
 * A well-typed activity, left whole half of the time (so turns really run), otherwise
 * with one to four of its fields given a wrong type or left out.
 */
function mutated(valid: fc.Arbitrary<Record<string, unknown>>, fields: string[]): fc.Arbitrary<Record<string, unknown>> {
  const change = fc.tuple(fc.constantFrom(...fields), fc.oneof({ weight: 3, arbitrary: wrongType }, { weight: 1, arbitrary: fc.constant<unknown>(MISSING) }));
  return fc
    .tuple(valid, fc.oneof({ weight: 1, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.array(change, { minLength: 1, maxLength: 4 }) }))
    .map(([activity, changes]) => withoutMissing({ ...activity, ...Object.fromEntries(changes) }));
}

export const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 8 }),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
);

const SAMPLE_TEXTS = [
  'what is iop',
  'which program is right for me',
  'yes',
  '2',
  'talk to a person',
  'start over',
  'cancel',
  'forget me',
  'STOP',
  'START',
  'HELP',
  'continue screening',
  'i took a bunch of pills and i cant feel my legs',
  'I want to kill myself',
  'مرحبا، ما هو برنامج العلاج المكثف؟',
  'שלום, מה זה IOP?',
  '\u202Ewhat is iop\u202C',
  '\u200B\u200C\u200D\uFEFF',
  '😀🔥👩‍👩‍👧‍👦🏳️‍🌈',
  '\u0000\u0001\u0007\u001b[31mred\u001b[0m\r\n\t',
  '\uD800 lone \uDFFF surrogates',
  'Z̷̢͍̈́a̴͔̓l̸̰͝g̸͚̈o̴̺͑',
  '<script>alert(1)</script>',
  '{{admissions}} ${process.env} %s %n',
  '../../../../etc/passwd',
  ' ',
  '',
];

export function textArb(maxMessageChars: number): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...SAMPLE_TEXTS) },
    { weight: 3, arbitrary: fc.string({ maxLength: 120 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 60 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
    // Over MAX_MESSAGE_CHARS but within the body limit: the polite "one question at a time".
    { weight: 1, arbitrary: fc.integer({ min: maxMessageChars + 1, max: maxMessageChars * 4 }).map((n) => 'what is iop '.repeat(Math.ceil(n / 12)).slice(0, n)) },
  );
}

const idArb = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom('conv-1', 'conv-2', 'fuzz-a', 'fuzz-b', '+16175550123', 'a:b;messageid=1', '19:abc@thread.tacv2') },
  { weight: 4, arbitrary: fc.string({ minLength: 1, maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }) },
  { weight: 1, arbitrary: fc.integer({ min: 500, max: 600 }).map((n) => 'c'.repeat(n)) },
);

const ACTIVITY_TYPES = ['message', 'conversationUpdate', 'typing', 'event', 'invoke', 'endOfConversation', 'installationUpdate', 'messageReaction', 'messageUpdate', 'messageDelete', 'handoff', 'trace', 'suggestion', 'command', 'delay', 'contactRelationUpdate'];

const attachmentArb = fc.oneof(
  { weight: 6, arbitrary: fc.record({ contentType: fc.constantFrom('image/png', 'application/pdf', 'application/vnd.microsoft.card.adaptive', 'text/html'), contentUrl: fc.constantFrom(...FORGED_SERVICE_URLS), name: fc.string({ maxLength: 20 }) }, { requiredKeys: ['contentType'] }) },
  { weight: 1, arbitrary: wrongType },
);

/** Text for a raw body: deep nesting, as arrays or objects, up to tens of thousands of levels. */
export const nestedJsonArb: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 1, max: 60_000 }), fc.boolean())
  .map(([depth, arrays]) => (arrays ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`));

type Serialized = { kind: string; body: string | undefined };

/** The activity as a body: well formed mostly; or broken, nested, huge, not an object, empty. */
function serialize(object: fc.Arbitrary<Record<string, unknown>>, maxBodyBytes: number): fc.Arbitrary<Serialized> {
  return fc.oneof(
    { weight: 24, arbitrary: object.map((o) => ({ kind: 'activity', body: JSON.stringify(o) })) },
    {
      weight: 2,
      arbitrary: fc.tuple(object, fc.nat(), fc.constantFrom('', '}', ',', '"', '\\', '\u0000', 'NaN', '{')).map(([o, cut, junk]) => {
        const json = JSON.stringify(o);
        const at = cut % Math.max(1, json.length);
        return { kind: 'malformed', body: json.slice(0, at) + junk + (cut % 2 ? json.slice(at + 1) : '') };
      }),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 80 }).map((s) => ({ kind: 'malformed', body: s })) },
    { weight: 1, arbitrary: fc.constantFrom('null', '[]', '42', '"text"', 'true', '{}', '[{}]', '1e999', '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"x":1}}}').map((body) => ({ kind: 'not-an-activity', body })) },
    { weight: 2, arbitrary: fc.tuple(object, nestedJsonArb, fc.constantFrom('value', 'channelData', 'entities', 'text', 'conversation', 'from')).map(([o, nested, key]) => ({ kind: 'nested', body: JSON.stringify({ ...o, [key]: '__NESTED__' }).replace('"__NESTED__"', nested) })) },
    { weight: 1, arbitrary: fc.tuple(object, fc.integer({ min: 1, max: 64 * 1024 })).map(([o, extra]) => ({ kind: 'huge-body', body: JSON.stringify({ ...o, text: 'x'.repeat(maxBodyBytes + extra) }) })) },
    { weight: 1, arbitrary: fc.constantFrom(undefined, '', '   ', '\n').map((body) => ({ kind: 'empty', body })) },
  );
}

const contentTypes = fc.constantFrom<Record<string, string>>(
  { 'content-type': 'application/json' },
  { 'content-type': 'application/json' },
  { 'content-type': 'application/json; charset=utf-8' },
  { 'content-type': 'text/plain' },
  {},
);

/** POST /api/messages (auth off): activities as a channel, the Emulator or an attacker would send them. */
export function messagesRequestArb(t: FuzzTargets): fc.Arbitrary<FuzzRequest> {
  const loopback = [t.channelUrl, t.channelUrl.replace('127.0.0.1', 'localhost')];
  const activityFields = {
    type: fc.oneof({ weight: 6, arbitrary: fc.constant('message') }, { weight: 3, arbitrary: fc.constantFrom(...ACTIVITY_TYPES) }, { weight: 1, arbitrary: fc.string({ maxLength: 70 }) }),
    id: idArb,
    name: fc.constantFrom('handoff', 'adaptiveCard/action', 'signin/verifyState', 'composeExtension/query', 'task/fetch', 'actionableMessage/executeAction', 'healthCheck'),
    channelId: fc.constantFrom('webchat', 'webchat', 'sms', 'msteams', 'directline', 'emulator', 'test', 'slack', 'facebook'),
    serviceUrl: fc.oneof(fc.constantFrom(...loopback), fc.constantFrom(...FORGED_SERVICE_URLS)),
    conversation: fc.record({ id: idArb, isGroup: fc.boolean(), tenantId: fc.string({ maxLength: 10 }) }, { requiredKeys: ['id'] }),
    from: fc.record({ id: idArb, name: fc.string({ maxLength: 30 }), role: fc.constantFrom('user', 'bot', 'skill') }, { requiredKeys: [] }),
    recipient: fc.record({ id: idArb, name: fc.string({ maxLength: 30 }) }, { requiredKeys: [] }),
    text: textArb(t.maxMessageChars),
    deliveryMode: fc.oneof({ weight: 6, arbitrary: fc.constant('expectReplies') }, { weight: 3, arbitrary: fc.constantFrom('normal', 'notification', 'ephemeral', 'EXPECTREPLIES', 'expectreplies', '') }, { weight: 1, arbitrary: fc.string({ maxLength: 40 }) }),
    attachments: fc.oneof({ weight: 8, arbitrary: fc.array(attachmentArb, { maxLength: 3 }) }, { weight: 1, arbitrary: fc.array(attachmentArb, { minLength: 45, maxLength: 60 }) }),
    membersAdded: fc.array(fc.record({ id: idArb }), { maxLength: 3 }),
    membersRemoved: fc.array(fc.record({ id: idArb }), { maxLength: 3 }),
    entities: fc.array(fc.record({ type: fc.constantFrom('mention', 'clientInfo', 'streaminfo') }), { maxLength: 3 }),
    value: fc.oneof(fc.record({ text: textArb(t.maxMessageChars) }), fc.jsonValue({ maxDepth: 3 })),
    channelData: fc.jsonValue({ maxDepth: 3 }),
    locale: fc.oneof({ weight: 8, arbitrary: fc.constantFrom('en-US', 'es-US', 'ar-SA', 'he-IL') }, { weight: 1, arbitrary: fc.constant('x'.repeat(300)) }),
    timestamp: fc.constantFrom('2025-01-01T00:00:00Z', 'yesterday', '9999-99-99'),
    replyToId: idArb,
  };
  const activity = mutated(
    fc.record(activityFields, { requiredKeys: ['type', 'channelId', 'serviceUrl', 'conversation', 'deliveryMode'] }),
    Object.keys(activityFields),
  );

  // Attachments only: a photo with no text, as visitors send.
  const attachmentsOnly = fc.tuple(idArb, fc.array(attachmentArb, { minLength: 1, maxLength: 3 })).map(([id, attachments]) => ({
    type: 'message', channelId: 'webchat', serviceUrl: t.channelUrl, conversation: { id }, from: { id: 'visitor' }, recipient: { id: 'bot' }, deliveryMode: 'expectReplies', attachments,
  }));

  const authorization = fc.oneof(
    { weight: 12, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constantFrom('Bearer not.a.jwt', 'Basic YTpi', 'Bearer ', 'Bearer eyJhbGciOiJub25lIn0.eyJpc3MiOiJodHRwczovL2FwaS5ib3RmcmFtZXdvcmsuY29tIn0.') },
  );

  return fc
    .tuple(serialize(fc.oneof({ weight: 9, arbitrary: activity }, { weight: 1, arbitrary: attachmentsOnly }), t.maxBodyBytes), contentTypes, authorization, fc.oneof({ weight: 12, arbitrary: fc.constant('/api/messages') }, { weight: 1, arbitrary: fc.constantFrom('/API/messages', '/api/messages/', '/api/messages?x=1') }))
    .map(([s, headers, auth, path]) => printable({ kind: `messages:${s.kind}`, method: 'POST' as const, path, headers: { ...headers, ...(auth ? { authorization: auth } : {}) }, body: s.body }));
}

/** Direct Line: tokens/generate, conversations, activities (with a valid token, another conversation's, a forged one, none). */
export function directLineRequestArb(t: FuzzTargets): fc.Arbitrary<FuzzRequest> {
  const DL = '/v3/directline';
  const pick = fc.nat({ max: t.conversations.length - 1 }).map((i) => t.conversations[i]!);
  const forged = fc.constantFrom(
    'not-a-token',
    'a.b.c',
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJjb252IjoieCJ9.c2ln',
    'eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJpc3MiOiJnYmFjLWRpcmVjdGxpbmUiLCJjb252IjoieCIsInVzZXIiOiJ1IiwiaWF0IjoxLCJleHAiOjk5OTk5OTk5OTl9.',
    'x'.repeat(5000),
  );
  // The token and the conversation id in the path.
  const access = fc.oneof(
    { weight: 24, arbitrary: pick.map((c) => ({ kind: 'valid', token: c.token as string | undefined, id: c.conversationId })) },
    { weight: 2, arbitrary: fc.tuple(pick, pick).map(([a, b]) => ({ kind: 'other-conversation', token: a.token as string | undefined, id: b.conversationId })) },
    { weight: 2, arbitrary: fc.tuple(forged, pick).map(([token, c]) => ({ kind: 'forged', token: token as string | undefined, id: c.conversationId })) },
    { weight: 2, arbitrary: pick.map((c) => ({ kind: 'no-token', token: undefined as string | undefined, id: c.conversationId })) },
    { weight: 1, arbitrary: fc.tuple(pick, fc.string({ minLength: 1, maxLength: 80 })).map(([c, id]) => ({ kind: 'odd-id', token: c.token as string | undefined, id: encodeURIComponent(id) })) },
  );
  const auth = (token: string | undefined, scheme: string): Record<string, string> => (token === undefined ? {} : { authorization: `${scheme} ${token}` });
  const scheme = fc.oneof({ weight: 12, arbitrary: fc.constant('Bearer') }, { weight: 1, arbitrary: fc.constantFrom('bearer', 'Basic', 'Bearer  ', 'Token') });

  const startBody = fc.oneof(
    fc.constant({ kind: 'none', body: undefined as string | undefined }),
    fc.record({ user: field(fc.record({ id: field(idArb), name: field(fc.string({ maxLength: 20 })) }).map(withoutMissing)), locale: field(fc.string({ maxLength: 40 })) }).map(withoutMissing).map((o) => ({ kind: 'json', body: JSON.stringify(o) as string | undefined })),
    fc.jsonValue({ maxDepth: 3 }).map((v) => ({ kind: 'any-json', body: JSON.stringify(v) as string | undefined })),
    fc.string({ maxLength: 40 }).map((s) => ({ kind: 'malformed', body: s as string | undefined })),
    nestedJsonArb.map((s) => ({ kind: 'nested', body: s as string | undefined })),
    fc.integer({ min: 1, max: 4096 }).map((n) => ({ kind: 'huge-body', body: JSON.stringify({ locale: 'x'.repeat(t.maxBodyBytes + n) }) as string | undefined })),
  );

  const clientFields = {
    type: fc.oneof({ weight: 12, arbitrary: fc.constant('message') }, { weight: 2, arbitrary: fc.constantFrom(...ACTIVITY_TYPES) }, { weight: 1, arbitrary: fc.string({ maxLength: 40 }) }),
    text: textArb(t.maxMessageChars),
    from: fc.record({ id: idArb, name: fc.string({ maxLength: 30 }), role: fc.constantFrom('user', 'bot') }, { requiredKeys: [] }),
    locale: fc.oneof({ weight: 8, arbitrary: fc.constantFrom('en-US', 'es', 'ar') }, { weight: 1, arbitrary: fc.constant('x'.repeat(100)) }),
    name: fc.oneof({ weight: 8, arbitrary: fc.constantFrom('webchat/join', 'handoff') }, { weight: 1, arbitrary: fc.constant('x'.repeat(300)) }),
    value: fc.oneof(fc.record({ text: textArb(t.maxMessageChars) }), fc.jsonValue({ maxDepth: 3 })),
    attachments: fc.array(attachmentArb, { maxLength: 3 }),
    entities: fc.array(fc.record({ type: fc.string({ maxLength: 10 }) }), { maxLength: 3 }),
    channelData: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
    serviceUrl: fc.constantFrom(...FORGED_SERVICE_URLS),
    deliveryMode: fc.constantFrom('normal', 'expectReplies', 'notification'),
    conversation: fc.record({ id: idArb }),
    recipient: fc.record({ id: idArb }),
  };
  const clientActivity = mutated(fc.record(clientFields, { requiredKeys: ['type'] }), Object.keys(clientFields));

  const generate = fc.tuple(startBody, contentTypes).map(([b, headers]) => ({ kind: `dl-generate:${b.kind}`, method: 'POST' as const, path: `${DL}/tokens/generate`, headers, body: b.body }));
  const refresh = fc.tuple(access, scheme).map(([a, s]) => ({ kind: `dl-refresh:${a.kind}`, method: 'POST' as const, path: `${DL}/tokens/refresh`, headers: auth(a.token, s), body: undefined }));
  const conversations = fc.tuple(access, scheme, startBody).map(([a, s, b]) => ({ kind: `dl-conversations:${a.kind}:${b.kind}`, method: 'POST' as const, path: `${DL}/conversations`, headers: { 'content-type': 'application/json', ...auth(a.token, s) }, body: b.body }));
  const postActivity = fc.tuple(access, scheme, serialize(clientActivity, t.maxBodyBytes)).map(([a, s, b]) => ({
    kind: `dl-activity:${a.kind}:${b.kind}`,
    method: 'POST' as const,
    path: `${DL}/conversations/${a.id}/activities`,
    headers: { 'content-type': 'application/json', ...auth(a.token, s) },
    body: b.body,
  }));
  const watermark = fc.oneof(fc.constant(''), fc.nat({ max: 600 }).map(String), fc.constantFrom('-1', 'abc', '1.5', '99999999999999999999', '0x10', '%00', '-'));
  const getActivities = fc.tuple(access, scheme, watermark, fc.boolean()).map(([a, s, w, log]) => ({
    kind: `dl-get:${a.kind}`,
    method: 'GET' as const,
    path: `${DL}/conversations/${a.id}${log ? '/activities' : ''}${w ? `?watermark=${w}` : ''}`,
    headers: auth(a.token, s),
    body: undefined,
  }));

  return fc.oneof(
    { weight: 3, arbitrary: generate },
    { weight: 1, arbitrary: refresh },
    { weight: 3, arbitrary: conversations },
    { weight: 8, arbitrary: postActivity },
    { weight: 3, arbitrary: getActivities },
  ).map(printable);
}
