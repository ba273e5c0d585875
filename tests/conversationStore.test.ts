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

  it('when two turns race on a new conversation (neither found a row), then the later first write fails instead of overwriting', async () => {
    const storage = new SqliteStorage(openDatabase(':memory:'));
    const a = new ConversationStore(storage);
    const b = new ConversationStore(storage);
    const [ta, tb] = [context('new-1'), context('new-1')];
    (await a.createProperty<{ said: string }>('d').get(ta, { said: '' })).said = 'from-a';
    (await b.createProperty<{ said: string }>('d').get(tb, { said: '' })).said = 'from-b';
    await a.saveChanges(ta);
    await expect(b.saveChanges(tb)).rejects.toBeInstanceOf(ETagConflictError);
    expect((await storage.read(['webchat/conversations/new-1']))['webchat/conversations/new-1']).toMatchObject({ d: { said: 'from-a' } });
  });

  it('when a conversation is cleared and the same turn writes again, then the new row is created', async () => {
    const storage = new SqliteStorage(openDatabase(':memory:'));
    const store = new ConversationStore(storage);
    const first = context('again');
    (await store.createProperty<{ a: number }>('d').get(first, { a: 1 })).a = 2;
    await store.saveChanges(first);
    const turn = context('again');
    await store.load(turn);
    await store.clear(turn);
    (await store.createProperty<{ a: number }>('d').get(turn, { a: 0 })).a = 5;
    await store.saveChanges(turn);
    expect((await storage.read(['webchat/conversations/again']))['webchat/conversations/again']).toMatchObject({ d: { a: 5 } });
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
