import { TestAdapter, TurnContext, type Activity } from 'botbuilder';
import { ConversationStore } from '../src/conversationStore';
import { openDatabase } from '../src/core/storage/database';
import { ETagConflictError, SqliteStorage } from '../src/core/storage/sqliteStorage';

function context(conversation = 'c1'): TurnContext {
  const adapter = new TestAdapter(async () => undefined);
  return new TurnContext(adapter, { type: 'message', channelId: 'webchat', conversation: { id: conversation }, from: { id: 'u' }, recipient: { id: 'b' } } as Activity);
}

describe('ConversationStore', () => {
  it('when a turn changes state, then the next turn reads it back', async () => {
    const storage = new SqliteStorage(openDatabase(':memory:'));
    const store = new ConversationStore(storage);
    const first = context();
    const data = store.createProperty<{ step?: number }>('screening');
    (await data.get(first, {})).step = 2;
    await store.saveChanges(first);
    const second = context();
    expect(await data.get(second)).toEqual({ step: 2 });
  });

  it('when a turn changes nothing, then nothing is written', async () => {
    const storage = new SqliteStorage(openDatabase(':memory:'));
    const write = jest.spyOn(storage, 'write');
    const writeJson = jest.spyOn(storage, 'writeJson');
    const store = new ConversationStore(storage);
    const turn = context();
    await store.createProperty('x').get(turn);
    await store.saveChanges(turn);
    expect(write).not.toHaveBeenCalled();
    expect(writeJson).not.toHaveBeenCalled();
    (await store.createProperty<{ n: number }>('x').get(turn, { n: 1 })).n = 2;
    await store.saveChanges(turn);
    expect(writeJson).toHaveBeenCalledTimes(1);
  });

  it('when two turns of one conversation race, then the later write fails instead of overwriting', async () => {
    const storage = new SqliteStorage(openDatabase(':memory:'));
    const seed = new ConversationStore(storage);
    const s = context();
    (await seed.createProperty<{ n: number }>('d').get(s, { n: 0 })).n = 1;
    await seed.saveChanges(s);

    const a = new ConversationStore(storage);
    const b = new ConversationStore(storage);
    const ta = context();
    const tb = context();
    (await a.createProperty<{ n: number }>('d').get(ta, { n: 0 })).n = 10;
    (await b.createProperty<{ n: number }>('d').get(tb, { n: 0 })).n = 20;
    await a.saveChanges(ta);
    await expect(b.saveChanges(tb)).rejects.toBeInstanceOf(ETagConflictError);
    expect((await storage.read(['webchat/conversations/c1']))['webchat/conversations/c1']).toMatchObject({ d: { n: 10 } });
  });

  it('when a conversation is cleared, then its state is gone from the store', async () => {
    const storage = new SqliteStorage(openDatabase(':memory:'));
    const store = new ConversationStore(storage);
    const turn = context('gone');
    (await store.createProperty<{ a: number }>('d').get(turn, { a: 1 })).a = 2;
    await store.saveChanges(turn);
    await store.clear(context('gone'));
    expect(await storage.read(['webchat/conversations/gone'])).toEqual({});
  });
});
