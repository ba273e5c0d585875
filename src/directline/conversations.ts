/**
 * Direct Line conversation logs, in memory, bounded: each conversation keeps its last
 * `maxActivities` activities and at most `maxConversationBytes` of them (serialized),
 * all conversations together at most `maxTotalBytes`; past a bound the oldest
 * activities go (those of the least recently used conversations first, for the total).
 * Each activity has a rising sequence number (the watermark). A conversation is
 * dropped after `idleMs` without use, or when `maxConversations` is reached (least
 * recently used first). One process only: a deployment with several instances uses
 * Azure Direct Line (DIRECTLINE_SECRET) instead, or routes a conversation to one instance.
 */
export type DirectLineActivity = Record<string, unknown> & { id: string; type: string; timestamp: string };

export interface ActivitySet {
  activities: DirectLineActivity[];
  watermark: string;
}

/** Gets each new activity, and null once when the conversation is dropped. */
type Listener = (set: ActivitySet | null) => void;

interface Entry {
  seq: number;
  activity: DirectLineActivity;
  /** Its serialized size, counted against the conversation's and the total budget. */
  bytes: number;
}

export interface Conversation {
  readonly id: string;
  readonly userId: string;
  /** Sequence number of the last activity appended (0 = none yet). */
  seq: number;
  log: Entry[];
  /** Serialized size of what `log` holds. */
  bytes: number;
  lastUsed: number;
  listeners: Set<Listener>;
}

export interface ConversationsOptions {
  maxActivities?: number;
  maxConversations?: number;
  /** Serialized bytes one conversation's log may hold. */
  maxConversationBytes?: number;
  /** Serialized bytes all logs together may hold. */
  maxTotalBytes?: number;
  /** Activities per GET /activities answer; the watermark continues from there. */
  pageSize?: number;
  idleMs?: number;
  now?: () => number;
}

const sizeOf = (activity: DirectLineActivity): number => Buffer.byteLength(JSON.stringify(activity));

export class ConversationLogs {
  private readonly conversations = new Map<string, Conversation>();
  private readonly maxActivities: number;
  private readonly maxConversations: number;
  private readonly maxConversationBytes: number;
  private readonly maxTotalBytes: number;
  readonly pageSize: number;
  readonly idleMs: number;
  private readonly now: () => number;
  private sweeper: NodeJS.Timeout | undefined;
  private total = 0;

  constructor(options: ConversationsOptions = {}) {
    this.maxActivities = options.maxActivities ?? 500;
    this.maxConversations = options.maxConversations ?? 10_000;
    this.maxTotalBytes = options.maxTotalBytes ?? 64 * 1024 * 1024;
    // One conversation never needs more than the total: eviction for the total then never touches the newest activity.
    this.maxConversationBytes = Math.min(options.maxConversationBytes ?? 256 * 1024, this.maxTotalBytes);
    this.pageSize = options.pageSize ?? 100;
    this.idleMs = options.idleMs ?? 60 * 60_000;
    this.now = options.now ?? Date.now;
  }

  /** Serialized bytes all logs hold now. */
  get totalBytes(): number {
    return this.total;
  }

  /** Sweep idle conversations every minute (the timer does not keep the process alive). */
  startSweeping(intervalMs = 60_000): void {
    this.sweeper ??= setInterval(() => this.sweep(), intervalMs);
    this.sweeper.unref();
  }

  close(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
    for (const conversation of [...this.conversations.values()]) this.drop(conversation);
  }

  get size(): number {
    return this.conversations.size;
  }

  /** The conversation, if it exists and has not expired; touching it keeps it alive. */
  get(id: string): Conversation | undefined {
    const conversation = this.conversations.get(id);
    if (!conversation) return undefined;
    if (this.now() - conversation.lastUsed > this.idleMs) {
      this.drop(conversation);
      return undefined;
    }
    // Re-insert so Map order is least-recently-used first.
    this.conversations.delete(id);
    conversation.lastUsed = this.now();
    this.conversations.set(id, conversation);
    return conversation;
  }

  /** The conversation, created if new. `created` says whether this call made it. */
  open(id: string, userId: string): { conversation: Conversation; created: boolean } {
    const existing = this.get(id);
    if (existing) return { conversation: existing, created: false };
    while (this.conversations.size >= this.maxConversations) {
      const oldest = this.conversations.values().next().value;
      if (!oldest) break;
      this.drop(oldest);
    }
    const conversation: Conversation = { id, userId, seq: 0, log: [], bytes: 0, lastUsed: this.now(), listeners: new Set() };
    this.conversations.set(id, conversation);
    return { conversation, created: true };
  }

  /**
   * Append an activity; its id becomes `<conversation>|<seq>` unless it has one. Listeners get it at once.
   * One larger than a conversation's budget is streamed but not kept, and so is one for a
   * conversation already dropped (a turn that outlived it): its bytes could never be evicted.
   */
  append(conversation: Conversation, activity: Omit<DirectLineActivity, 'id' | 'timestamp'> & { id?: string; timestamp?: string }): DirectLineActivity {
    const seq = ++conversation.seq;
    const stored = {
      ...activity,
      id: activity.id ?? `${conversation.id}|${String(seq).padStart(7, '0')}`,
      timestamp: activity.timestamp ?? new Date(this.now()).toISOString(),
    } as DirectLineActivity;
    const bytes = sizeOf(stored);
    if (bytes <= this.maxConversationBytes && this.conversations.get(conversation.id) === conversation) {
      conversation.log.push({ seq, activity: stored, bytes });
      this.count(conversation, bytes);
      this.enforce(conversation);
    }
    conversation.lastUsed = this.now();
    this.notify(conversation, { activities: [stored], watermark: String(seq) });
    return stored;
  }

  /** Forget everything the conversation's log holds ("forget me"); the conversation, its watermark and streams go on. */
  clear(conversation: Conversation): void {
    this.count(conversation, -conversation.bytes);
    conversation.log = [];
  }

  /** "Forget me" by conversation id: its log goes, wherever the turn came from. */
  forget(id: string): void {
    const conversation = this.conversations.get(id);
    if (conversation) this.clear(conversation);
  }

  private count(conversation: Conversation, bytes: number): void {
    conversation.bytes += bytes;
    this.total += bytes;
  }

  private shift(conversation: Conversation): void {
    const oldest = conversation.log.shift();
    if (oldest) this.count(conversation, -oldest.bytes);
  }

  /** Oldest first: past the conversation's bounds from its own log, past the total from the least recently used logs. */
  private enforce(conversation: Conversation): void {
    while (conversation.log.length > this.maxActivities || conversation.bytes > this.maxConversationBytes) this.shift(conversation);
    if (this.total <= this.maxTotalBytes) return;
    for (const other of this.conversations.values()) {
      // The conversation being written keeps its newest activity (it fits its budget, which fits the total).
      const keep = other === conversation ? 1 : 0;
      while (this.total > this.maxTotalBytes && other.log.length > keep) this.shift(other);
      if (this.total <= this.maxTotalBytes) return;
    }
  }

  private notify(conversation: Conversation, set: ActivitySet): void {
    for (const listener of conversation.listeners) {
      try {
        listener(set);
      } catch {
        // A broken stream must not stop the others or the turn.
      }
    }
  }

  /**
   * Activities after the watermark (all kept ones for none), at most `limit` of them, and the
   * watermark to ask with next: the last one given when more remain, the newest otherwise.
   */
  after(conversation: Conversation, watermark: number | undefined, limit = this.pageSize): ActivitySet {
    const from = watermark ?? 0;
    const start = conversation.log.findIndex((e) => e.seq > from);
    const page = start < 0 ? [] : conversation.log.slice(start, start + limit);
    const more = start >= 0 && start + page.length < conversation.log.length;
    return {
      activities: page.map((e) => e.activity),
      watermark: String(more ? page[page.length - 1]!.seq : Math.max(conversation.seq, 0)),
    };
  }

  /** Replace an activity in place (the bot's updateActivity); false when it is no longer kept. */
  replace(conversation: Conversation, activityId: string, activity: Record<string, unknown>): DirectLineActivity | undefined {
    const entry = conversation.log.find((e) => e.activity.id === activityId);
    if (!entry) return undefined;
    entry.activity = { ...entry.activity, ...activity, id: activityId } as DirectLineActivity;
    const bytes = sizeOf(entry.activity);
    this.count(conversation, bytes - entry.bytes);
    entry.bytes = bytes;
    const updated = entry.activity;
    // A grown activity may push the oldest out (itself included): the bounds hold either way.
    if (bytes > this.maxConversationBytes) {
      conversation.log.splice(conversation.log.indexOf(entry), 1);
      this.count(conversation, -bytes);
    }
    this.enforce(conversation);
    // Streams get the new version (Web Chat replaces by id); a poller past it keeps the old one.
    this.notify(conversation, { activities: [updated], watermark: String(conversation.seq) });
    return updated;
  }

  subscribe(conversation: Conversation, listener: Listener): () => void {
    conversation.listeners.add(listener);
    return () => conversation.listeners.delete(listener);
  }

  sweep(): void {
    const now = this.now();
    for (const conversation of [...this.conversations.values()]) {
      if (now - conversation.lastUsed > this.idleMs) this.drop(conversation);
    }
  }

  private drop(conversation: Conversation): void {
    this.conversations.delete(conversation.id);
    this.clear(conversation);
    for (const listener of conversation.listeners) {
      try {
        listener(null);
      } catch {
        // ignore: the stream is going away anyway
      }
    }
    conversation.listeners.clear();
  }
}
