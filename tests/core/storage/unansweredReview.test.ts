import { groupId, HIDDEN_TEXT, reviewText, suggestionsFile } from '../../../src/core/storage/unansweredReview';
import { STORE_KINDS, useSharedStores } from '../../helpers/sharedStores';

const DAY = 86_400_000;

describe.each(STORE_KINDS)('the unanswered review (%s)', (kind) => {
  const instance = useSharedStores(kind);
  const open = () => {
    const { unanswered: log, purgers } = instance();
    return { log, purgers };
  };

  it('when staff mark a group, then another instance reads the mark, and a new mark replaces it', async () => {
    const { log } = open();
    log.record({ text: 'Do you have a pool?', channel: 'webchat', conversationId: 'c1' });
    log.record({ text: 'do you have a pool', channel: 'sms', conversationId: 'c2', bestCandidate: 'what-to-bring' });
    log.record({ text: 'is there parking', channel: 'webchat', conversationId: 'c3' });
    await log.flush();
    await log.mark('do you have a pool', { kind: 'add-to-entry', entryId: 'what-to-bring', by: 'maria', at: new Date('2025-05-01T10:00:00Z') });
    const other = open().log;
    const groups = await other.review(10);
    expect(groups[0]).toMatchObject({ normalized: 'do you have a pool', count: 2, bestCandidate: 'what-to-bring', mark: { kind: 'add-to-entry', entryId: 'what-to-bring', by: 'maria' } });
    expect(groups[1]).toMatchObject({ normalized: 'is there parking', count: 1 });
    expect(groups[1]).not.toHaveProperty('mark');
    await other.mark('do you have a pool', { kind: 'off-topic', by: 'devon', at: new Date() });
    expect(await log.review(10, { markedOnly: true })).toEqual([expect.objectContaining({ normalized: 'do you have a pool', mark: expect.objectContaining({ kind: 'off-topic', by: 'devon', entryId: undefined }) })]);
  });

  it('when a visitor says "forget me", then a mark goes once no question of its group is left, and stays while other visitors\' are', async () => {
    const { log } = open();
    log.record({ text: 'is there a pool', channel: 'webchat', conversationId: 'alone' });
    log.record({ text: 'is there a gym', channel: 'webchat', conversationId: 'alone' });
    log.record({ text: 'is there a gym', channel: 'webchat', conversationId: 'someone-else' });
    await log.flush();
    await log.mark('is there a pool', { kind: 'new-entry', by: 'maria', at: new Date() });
    await log.mark('is there a gym', { kind: 'new-entry', by: 'maria', at: new Date() });
    expect(await log.forgetConversation('webchat', 'alone')).toBe(2);
    const marked = await log.review(10, { markedOnly: true });
    expect(marked.map((g) => [g.normalized, g.count])).toEqual([['is there a gym', 1]]);
    await log.forgetConversation('webchat', 'someone-else');
    expect(await log.review(10, { markedOnly: true })).toEqual([]);
  });

  it('when retention runs, then marks go with the log: those of purged groups, and those older than the cut-off', async () => {
    const { log, purgers } = open();
    const now = Date.now();
    log.record({ text: 'is there a sauna', channel: 'webchat', at: new Date(now - 40 * DAY) });
    log.record({ text: 'is there wifi', channel: 'webchat', at: new Date(now - DAY) });
    log.record({ text: 'is there a chapel', channel: 'webchat', at: new Date(now - DAY) });
    await log.flush();
    await log.mark('is there a sauna', { kind: 'off-topic', by: 'maria', at: new Date(now - 2 * DAY) });
    await log.mark('is there wifi', { kind: 'new-entry', by: 'maria', at: new Date(now - 2 * DAY) });
    await log.mark('is there a chapel', { kind: 'new-entry', by: 'maria', at: new Date(now - 31 * DAY) });
    const cutoff = new Date(now - 30 * DAY);
    const purged: Record<string, number> = {};
    for (const p of purgers.filter((p) => p.name.startsWith('unanswered'))) purged[p.name] = await p.purge(cutoff);
    expect(purged).toEqual({ 'unanswered-log': 1, 'unanswered-marks': 2 });
    expect((await log.review(10, { markedOnly: true })).map((g) => g.normalized)).toEqual(['is there wifi']);
  });
});

describe('what staff may read of an unanswered question', () => {
  it.each([
    ['a phone number taken out when it was logged', 'can you call me at [phone] about iop'],
    ['a name taken out when it was logged', "I'm [name], is iop covered"],
    ['a phone number logged before the scrubber caught it', 'text me on 617 555 0142 please'],
    ['a name logged before the scrubber caught it', 'my name is Linda and is detox free'],
    ['an email', 'write to sam at gmail dot com about php'],
  ])('when the question held %s, then its text is hidden', (_what, stored) => {
    expect(reviewText(stored)).toBeUndefined();
  });

  it.each(['is there a pool', 'is IOP 5 days a week', 'how long is detox, 3 to 5 days?'])('when the question "%s" holds nothing personal, then it is shown as typed', (text) => {
    expect(reviewText(text)).toBe(text);
  });

  it('when marked groups are exported, then they come by mark, most frequent first, with hidden texts hidden and no group key', () => {
    const at = new Date('2025-05-01T10:00:00Z');
    const file = suggestionsFile(
      [
        { normalized: 'is there a pool', example: 'is there a pool', count: 2, lastSeen: at, bestCandidate: 'what-to-bring', mark: { kind: 'new-entry', by: 'maria', at } },
        { normalized: 'call me at phone', example: 'call me at [phone]', count: 1, lastSeen: at, bestCandidate: null, mark: { kind: 'off-topic', by: 'devon', at } },
        { normalized: 'iop hours', example: 'iop hours', count: 5, lastSeen: at, bestCandidate: 'iop-schedule', mark: { kind: 'add-to-entry', entryId: 'iop-schedule', by: 'maria', at } },
        { normalized: 'unmarked', example: 'unmarked', count: 9, lastSeen: at, bestCandidate: null },
      ],
      'test.sqlite',
      at,
    );
    expect(file).toEqual({
      generatedAt: at.toISOString(),
      from: 'test.sqlite',
      'add-to-entry': [{ entry: 'iop-schedule', example: 'iop hours', count: 5, lastSeen: at.toISOString(), markedBy: 'maria' }],
      'new-entry': [{ example: 'is there a pool', count: 2, lastSeen: at.toISOString(), closestEntry: 'what-to-bring', markedBy: 'maria' }],
      'off-topic': [{ example: HIDDEN_TEXT, count: 1, lastSeen: at.toISOString(), markedBy: 'devon' }],
    });
    expect(groupId('is there a pool')).toMatch(/^[0-9a-f]{24}$/);
  });
});
