import type { TurnContext } from 'botbuilder';
import { ConversationStore } from '../../../../src/conversationStore';
import { PgDatabase } from '../../../../src/core/storage/postgres/pgDatabase';
import { PgStorage } from '../../../../src/core/storage/postgres/pgStorage';
import { ETagConflictError } from '../../../../src/core/storage/sqliteStorage';
import { usePgSchema } from '../../../helpers/pg';

const schema = usePgSchema('storage');
let dbs: PgDatabase[] = [];

/** A storage as one instance of the service has it: its own pool on the shared database. */
function instance(): PgStorage {
  const db = new PgDatabase(schema().url);
  dbs.push(db);
  return new PgStorage(db);
}

afterEach(async () => {
  await Promise.all(dbs.map((d) => d.close()));
  dbs = [];
});

let n = 0;
const key = () => `webchat/conversations/k${++n}`;

/** Just enough of a TurnContext for ConversationStore. */
function turn(conversationId: string): TurnContext {
  return { activity: { channelId: 'webchat', conversation: { id: conversationId } }, turnState: new Map() } as unknown as TurnContext;
}

describe('PgStorage', () => {
  it('when state is written and read back by a new instance, then it is all there with an eTag', async () => {
    const k = key();
    await instance().write({ [k]: { step: 3, answers: { home: 'safe' } } });
    const items = await instance().read([k, 'missing']);
    expect(items[k]).toMatchObject({ step: 3, answers: { home: 'safe' }, eTag: expect.stringMatching(/^\d+$/) });
    expect(items['missing']).toBeUndefined();
  });

  it('when two instances hold the same eTag, then the second write fails instead of overwriting the first', async () => {
    const k = key();
    const a = instance();
    const b = instance();
    await a.write({ [k]: { n: 1 } });
    const seenByA = (await a.read([k]))[k];
    const seenByB = (await b.read([k]))[k];
    await a.write({ [k]: { ...seenByA, n: 2 } });
    await expect(b.write({ [k]: { ...seenByB, n: 3 } })).rejects.toBeInstanceOf(ETagConflictError);
    expect((await b.read([k]))[k]).toMatchObject({ n: 2 });
  });

  it('when two instances write the same version at the same moment, then exactly one write lands', async () => {
    const k = key();
    const a = instance();
    const b = instance();
    await a.write({ [k]: { n: 0 } });
    const base = (await a.read([k]))[k];
    const results = await Promise.allSettled([a.write({ [k]: { ...base, by: 'a' } }), b.write({ [k]: { ...base, by: 'b' } })]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(failed.reason).toBeInstanceOf(ETagConflictError);
    const winner = results[0]!.status === 'fulfilled' ? 'a' : 'b';
    expect((await instance().read([k]))[k]).toMatchObject({ by: winner });
  });

  it('when a write succeeds, then the item carries the new eTag and the next write with it succeeds', async () => {
    const k = key();
    const s = instance();
    const item: Record<string, unknown> = { n: 1 };
    await s.write({ [k]: item });
    const first = item.eTag;
    item.n = 2;
    await s.write({ [k]: item });
    expect(item.eTag).not.toBe(first);
    expect((await s.read([k]))[k]).toMatchObject({ n: 2, eTag: item.eTag });
  });

  it('when an item is written with eTag "*" or none, then it overwrites unconditionally', async () => {
    const k = key();
    const s = instance();
    await s.write({ [k]: { n: 1 } });
    await s.write({ [k]: { n: 5, eTag: '*' } });
    expect((await s.read([k]))[k]).toMatchObject({ n: 5 });
    await s.write({ [k]: { n: 6 } });
    expect((await s.read([k]))[k]).toMatchObject({ n: 6 });
  });

  it('when the first write of a key carries an eTag, then it creates the row; a made-up eTag on an existing row conflicts', async () => {
    const k = key();
    const s = instance();
    await s.write({ [k]: { n: 1, eTag: '41' } });
    expect((await s.read([k]))[k]).toMatchObject({ n: 1 });
    await expect(s.write({ [k]: { n: 2, eTag: 'not-a-number' } })).rejects.toBeInstanceOf(ETagConflictError);
    await expect(s.write({ [k]: { n: 2, eTag: '999' } })).rejects.toBeInstanceOf(ETagConflictError);
  });

  it('when one key of several conflicts, then none of them is written', async () => {
    const [k1, k2] = [key(), key()];
    const s = instance();
    await s.write({ [k2]: { n: 1 } });
    const stale = (await s.read([k2]))[k2];
    await s.write({ [k2]: { ...stale, n: 2 } });
    await expect(s.write({ [k1]: { n: 1 }, [k2]: { ...stale, n: 3 } })).rejects.toBeInstanceOf(ETagConflictError);
    expect(Object.keys(await s.read([k1, k2]))).toEqual([k2]);
  });

  it('when keys are deleted, then only those go, for every instance', async () => {
    const [k1, k2] = [key(), key()];
    await instance().write({ [k1]: { x: 1 }, [k2]: { x: 3 } });
    await instance().delete([k2]);
    expect(Object.keys(await instance().read([k1, k2]))).toEqual([k1]);
  });

  it('when a visitor typed a NUL character, then the state still round-trips', async () => {
    const k = key();
    await instance().write({ [k]: { said: 'a\u0000b' } });
    expect((await instance().read([k]))[k]).toMatchObject({ said: 'a\u0000b' });
  });
});

describe('ConversationStore on PgStorage', () => {
  it('when two instances handle turns of one conversation at once, then one save fails and nothing is silently overwritten', async () => {
    const id = `conv-${++n}`;
    const a = new ConversationStore(instance());
    const b = new ConversationStore(instance());
    const setup = turn(id);
    (await a.load(setup)).step = 1;
    await a.saveChanges(setup);

    const [turnA, turnB] = [turn(id), turn(id)];
    (await a.load(turnA)).step = 'from-a';
    (await b.load(turnB)).step = 'from-b';
    await a.saveChanges(turnA);
    await expect(b.saveChanges(turnB)).rejects.toBeInstanceOf(ETagConflictError);

    const after = turn(id);
    expect(await new ConversationStore(instance()).load(after)).toEqual({ step: 'from-a' });
  });

  it('when two instances handle the first turn of a new conversation at once, then only one creates it', async () => {
    const id = `conv-${++n}`;
    const a = new ConversationStore(instance());
    const b = new ConversationStore(instance());
    const [turnA, turnB] = [turn(id), turn(id)];
    (await a.load(turnA)).said = 'from-a';
    (await b.load(turnB)).said = 'from-b';
    await a.saveChanges(turnA);
    await expect(b.saveChanges(turnB)).rejects.toBeInstanceOf(ETagConflictError);
    expect(await new ConversationStore(instance()).load(turn(id))).toEqual({ said: 'from-a' });
  });
});
