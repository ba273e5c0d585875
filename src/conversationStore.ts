import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { KeyValueStorage, StoreItems } from './core/storage/sqliteStorage';

interface Cached {
  key: string;
  state: Record<string, unknown>;
  /** The JSON last read or written: a turn that changes nothing writes nothing. */
  json: string;
  eTag?: string;
}

const CACHE = Symbol('conversationStore');

/**
 * The eTag of a conversation that had no row when it was read. Stores hand out
 * whole-number eTags, so this one only matches a row that still does not exist:
 * two instances racing on a conversation's first turn cannot both write it.
 */
export const ABSENT_ETAG = 'absent';

/**
 * Conversation state, read once per turn and written once at its end, with
 * the eTag it was read with: if another instance wrote the same conversation
 * meanwhile, the write fails instead of silently overwriting (optimistic
 * concurrency). It does what botbuilder's ConversationState does for us, with
 * a plain JSON comparison instead of hashing the state twice a turn.
 * Its accessors satisfy StatePropertyAccessor, so DialogSet can use them.
 */
export class ConversationStore {
  constructor(private readonly storage: KeyValueStorage) {}

  static keyFor(context: TurnContext): string {
    const a = context.activity;
    const channel = a.channelId;
    const conversation = a.conversation?.id;
    if (!channel || !conversation) throw new Error('ConversationStore: activity has no channelId or conversation.id');
    return `${channel}/conversations/${conversation}`;
  }

  async load(context: TurnContext): Promise<Record<string, unknown>> {
    const existing = context.turnState.get(CACHE) as Cached | undefined;
    if (existing) return existing.state;
    const key = ConversationStore.keyFor(context);
    let cached: Cached;
    const raw = this.storage.readJson ? this.storage.readJson(key) : null;
    if (raw !== null) {
      // Fast path: the stored JSON is the baseline for "did this turn change anything".
      cached = raw ? { key, state: JSON.parse(raw.json), json: raw.json, eTag: raw.eTag } : { key, state: {}, json: '{}', eTag: ABSENT_ETAG };
    } else {
      const items: StoreItems = await this.storage.read([key]);
      const { eTag, ...state } = (items[key] ?? {}) as Record<string, unknown> & { eTag?: string };
      cached = { key, state, json: JSON.stringify(state), eTag: items[key] ? eTag : ABSENT_ETAG };
    }
    context.turnState.set(CACHE, cached);
    return cached.state;
  }

  async saveChanges(context: TurnContext): Promise<void> {
    const cached = context.turnState.get(CACHE) as Cached | undefined;
    if (!cached) return;
    const json = JSON.stringify(cached.state);
    if (json === cached.json) return;
    if (this.storage.writeJson) {
      cached.eTag = this.storage.writeJson(cached.key, json, cached.eTag);
    } else {
      const item: Record<string, unknown> & { eTag?: string } = { ...cached.state, eTag: cached.eTag ?? '*' };
      await this.storage.write({ [cached.key]: item });
      // Stores that report the new version update the item in place; others fall back to last-writer-wins.
      cached.eTag = item.eTag === '*' ? undefined : item.eTag;
    }
    cached.json = json;
  }

  /** Forget everything about this conversation (start over, "forget me"). */
  async clear(context: TurnContext): Promise<void> {
    const cached = context.turnState.get(CACHE) as Cached | undefined;
    if (cached) for (const k of Object.keys(cached.state)) delete cached.state[k];
    await this.storage.delete([ConversationStore.keyFor(context)]);
    if (cached) {
      cached.json = '{}';
      cached.eTag = ABSENT_ETAG;
    }
  }

  createProperty<T>(name: string): StatePropertyAccessor<T> {
    return {
      get: async (context: TurnContext, defaultValue?: T): Promise<T> => {
        const state = await this.load(context);
        if (state[name] === undefined && defaultValue !== undefined) {
          state[name] = typeof defaultValue === 'object' && defaultValue !== null ? structuredClone(defaultValue) : defaultValue;
        }
        return state[name] as T;
      },
      set: async (context: TurnContext, value: T): Promise<void> => {
        (await this.load(context))[name] = value;
      },
      delete: async (context: TurnContext): Promise<void> => {
        delete (await this.load(context))[name];
      },
    } as StatePropertyAccessor<T>;
  }
}
