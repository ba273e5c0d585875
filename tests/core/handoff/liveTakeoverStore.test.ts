import { STORE_KINDS, useSharedStores } from '../../helpers/sharedStores';

describe.each(STORE_KINDS)('LiveTakeoverStore (%s)', (kind) => {
  const instance = useSharedStores(kind);

  it('when a takeover starts on one instance, then another instance sharing the database sees the conversation live', async () => {
    const one = instance().takeovers;
    const two = instance().takeovers;
    expect((await one.start('r1', 'webchat', 'c1', 'maria')).ok).toBe(true);
    expect(await two.liveFor('webchat', 'c1')).toMatchObject({ requestId: 'r1', staff: 'maria' });
    expect(await two.liveRequestIds()).toEqual(new Set(['r1']));
    await two.end('r1', 'maria');
    expect(await one.liveFor('webchat', 'c1')).toBeUndefined();
  });

  it('when a second request of the same conversation goes live, then it is refused and names who has it', async () => {
    const store = instance().takeovers;
    await store.start('r1', 'webchat', 'c1', 'maria');
    expect(await store.start('r2', 'webchat', 'c1', 'devon')).toEqual({ ok: false, reason: 'conversation-live', staff: 'maria' });
    await store.end('r1', 'maria');
    expect((await store.start('r2', 'webchat', 'c1', 'devon')).ok).toBe(true);
  });

  it('when two instances start takeovers of the same conversation at once, then exactly one goes live', async () => {
    const [one, two] = [instance().takeovers, instance().takeovers];
    const results = await Promise.all([one.start('r1', 'webchat', 'c1', 'maria'), two.start('r2', 'webchat', 'c1', 'devon')]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const winner = results.find((r) => r.ok);
    const loser = results.find((r) => !r.ok);
    expect(loser).toEqual({ ok: false, reason: 'conversation-live', staff: winner?.ok ? winner.takeover.staff : 'none' });
    expect((await one.liveRequestIds()).size).toBe(1);
  });

  it('when a live takeover is started again by another staff member, then it stays live with the new one', async () => {
    const store = instance().takeovers;
    await store.start('r1', 'webchat', 'c1', 'maria');
    expect(await store.start('r1', 'webchat', 'c1', 'devon')).toMatchObject({ ok: true, takeover: { staff: 'devon' } });
    expect(await store.liveFor('webchat', 'c1')).toMatchObject({ requestId: 'r1', staff: 'devon' });
  });

  it('when a takeover ends and starts again, then it is live again with the new staff member', async () => {
    const store = instance().takeovers;
    await store.start('r1', 'webchat', 'c1', 'maria');
    expect(await store.end('r1', 'maria')).toMatchObject({ endedBy: 'maria' });
    expect(await store.end('r1', 'maria')).toBeUndefined();
    await store.start('r1', 'webchat', 'c1', 'devon');
    expect(await store.get('r1')).toMatchObject({ staff: 'devon', endedAt: undefined });
    expect(await store.liveRequestIds()).toEqual(new Set(['r1']));
  });

  it('when the staff member polls, then their last sign is moved forward, and not once the takeover has ended', async () => {
    const store = instance().takeovers;
    const started = await store.start('r1', 'webchat', 'c1', 'maria');
    const first = started.ok ? started.takeover.staffSeenAt : '';
    await new Promise((r) => setTimeout(r, 5));
    await store.touch('r1');
    const touched = (await store.get('r1'))!.staffSeenAt;
    expect(touched > first).toBe(true);
    await store.end('r1', 'maria');
    await new Promise((r) => setTimeout(r, 5));
    await store.touch('r1');
    expect((await store.get('r1'))!.staffSeenAt).toBe(touched);
  });

  it('when more lines than the limit arrive, then only the newest are kept, in order, and polls see only what is new', async () => {
    const store = instance().takeovers;
    for (let i = 1; i <= 8; i++) await store.append({ requestId: 'r1', from: 'visitor', text: `line ${i}` }, 5);
    const kept = await store.messages('r1');
    expect(kept.map((m) => m.text)).toEqual(['line 4', 'line 5', 'line 6', 'line 7', 'line 8']);
    expect((await store.messages('r1', kept[2]!.seq)).map((m) => m.text)).toEqual(['line 7', 'line 8']);
    expect(await store.messages('other')).toEqual([]);
  });

  it('when a staff line and a crisis line are added, then they read back with who sent them and the crisis mark', async () => {
    const store = instance().takeovers;
    const staffLine = await store.append({ requestId: 'r1', from: 'staff', staff: 'maria', text: 'Hi, this is Maria' });
    await store.append({ requestId: 'r1', from: 'visitor', text: 'help', crisis: true });
    const lines = await store.messages('r1');
    expect(lines).toEqual([
      { seq: staffLine.seq, requestId: 'r1', from: 'staff', staff: 'maria', text: 'Hi, this is Maria', crisis: undefined, at: staffLine.at },
      expect.objectContaining({ from: 'visitor', staff: undefined, text: 'help', crisis: true }),
    ]);
  });

  it('when a line is very long, then it is cut with a mark', async () => {
    const store = instance().takeovers;
    const line = await store.append({ requestId: 'r1', from: 'visitor', text: 'x'.repeat(5000) });
    expect(line.text).toHaveLength(2001);
    expect(line.text.endsWith('…')).toBe(true);
    expect((await store.messages('r1'))[0]?.text).toBe(line.text);
  });

  it('when retention runs, then transcripts of long-ended takeovers and of purged requests go, and live ones stay', async () => {
    const { takeovers: store, handoffs: requests } = instance();
    const kept = await requests.create({ reason: 'asked-for-person', priority: 'normal', channel: 'webchat', conversationId: 'live', conversationReference: {} });
    await store.start(kept.id, 'webchat', 'live', 'maria');
    await store.append({ requestId: kept.id, from: 'visitor', text: 'still here' });
    await store.start('ended', 'webchat', 'old', 'maria');
    await store.append({ requestId: 'ended', from: 'visitor', text: 'old line' });
    await store.end('ended', 'maria');
    await store.append({ requestId: 'orphan', from: 'visitor', text: 'request purged' });
    const removed = await store.purgeEndedBefore(new Date(Date.now() + 1000));
    expect(removed).toBe(2);
    expect((await store.messages(kept.id)).map((m) => m.text)).toEqual(['still here']);
    expect(await store.get('ended')).toBeUndefined();
    expect(await store.get(kept.id)).toMatchObject({ staff: 'maria' });
  });

  it('when a visitor asks to be forgotten, then their takeovers and transcript are deleted', async () => {
    const store = instance().takeovers;
    await store.start('r1', 'sms', '+16175550123', 'maria');
    await store.append({ requestId: 'r1', from: 'visitor', text: 'my number is 617 555 0123' });
    await store.start('r2', 'sms', '+16175550999', 'maria');
    await store.append({ requestId: 'r2', from: 'visitor', text: 'someone else' });
    expect(await store.deleteConversation('sms', '+16175550123')).toBe(1);
    expect(await store.messages('r1')).toEqual([]);
    expect(await store.liveFor('sms', '+16175550123')).toBeUndefined();
    expect(await store.get('r1')).toBeUndefined();
    expect((await store.messages('r2')).map((m) => m.text)).toEqual(['someone else']);
  });
});

describe.each(STORE_KINDS)('StaffSessionStore (%s)', (kind) => {
  const instance = useSharedStores(kind);

  it('when a staff member was seen recently, then someone is online until they log out', async () => {
    const store = instance().sessions;
    const fiveMinutesAgo = new Date(Date.now() - 5 * 60_000);
    expect(await store.anyoneSeenSince(fiveMinutesAgo)).toBe(false);
    await store.seen('maria', new Date(Date.now() - 10 * 60_000));
    expect(await store.anyoneSeenSince(fiveMinutesAgo)).toBe(false);
    await store.seen('maria');
    expect(await store.anyoneSeenSince(fiveMinutesAgo)).toBe(true);
    await store.gone('maria');
    expect(await store.anyoneSeenSince(fiveMinutesAgo)).toBe(false);
  });

  it('when an older sighting arrives after a newer one, then the newer one counts', async () => {
    const store = instance().sessions;
    await store.seen('maria');
    await store.seen('maria', new Date(Date.now() - 10 * 60_000));
    expect(await store.anyoneSeenSince(new Date(Date.now() - 5 * 60_000))).toBe(true);
  });

  it('when a session is revoked, then it stays revoked and expired revocations are cleaned up', async () => {
    const store = instance().sessions;
    await store.revoke('old', new Date(Date.now() - 1000));
    await store.revoke('sid-1', new Date(Date.now() + 60_000));
    expect(await store.isRevoked('sid-1')).toBe(true);
    expect(await store.isRevoked('sid-2')).toBe(false);
    expect(await store.isRevoked('old')).toBe(false);
  });

  it('when a staff member logs out on one instance, then the other instance refuses the session and sees them gone', async () => {
    const [one, two] = [instance().sessions, instance().sessions];
    await one.seen('maria');
    expect(await two.anyoneSeenSince(new Date(Date.now() - 60_000))).toBe(true);
    await one.revoke('sid-1', new Date(Date.now() + 60_000));
    await one.gone('maria');
    expect(await two.isRevoked('sid-1')).toBe(true);
    expect(await two.anyoneSeenSince(new Date(Date.now() - 60_000))).toBe(false);
  });
});
