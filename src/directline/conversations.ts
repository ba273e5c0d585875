/**
 * Direct Line conversation logs, in memory. Each conversation keeps its last
 * `maxActivities` activities with a rising sequence number (the watermark), and is
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

export interface Conversation {
  readonly id: string;
  readonly userId: string;
  /** Sequence number of the last activity appended (0 = none yet). */
  seq: number;
  log: Array<{ seq: number; activity: DirectLineActivity }>;
  lastUsed: number;
  listeners: Set<Listener>;
}

export interface ConversationsOptions {
  maxActivities?: number;
  maxConversations?: number;
  idleMs?: number;
  now?: () => number;
}

export class ConversationLogs {
  private readonly conversations = new Map<string, Conversation>();
  private readonly maxActivities: number;
  private readonly maxConversations: number;
  readonly idleMs: number;
  private readonly now: () => number;
  private sweeper: NodeJS.Timeout | undefined;

  constructor(options: ConversationsOptions = {}) {
    this.maxActivities = options.maxActivities ?? 500;
    this.maxConversations = options.maxConversations ?? 10_000;
    this.idleMs = options.idleMs ?? 60 * 60_000;
    this.now = options.now ?? Date.now;
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
    const conversation: Conversation = { id, userId, seq: 0, log: [], lastUsed: this.now(), listeners: new Set() };
    this.conversations.set(id, conversation);
    return { conversation, created: true };
  }

  /** Append an activity; its id becomes `<conversation>|<seq>` unless it has one. Listeners get it at once. */
  append(conversation: Conversation, activity: Omit<DirectLineActivity, 'id' | 'timestamp'> & { id?: string; timestamp?: string }): DirectLineActivity {
    const seq = ++conversation.seq;
    const stored = {
      ...activity,
      id: activity.id ?? `${conversation.id}|${String(seq).padStart(7, '0')}`,
      timestamp: activity.timestamp ?? new Date(this.now()).toISOString(),
    } as DirectLineActivity;
    conversation.log.push({ seq, activity: stored });
    if (conversation.log.length > this.maxActivities) conversation.log.splice(0, conversation.log.length - this.maxActivities);
    conversation.lastUsed = this.now();
    this.notify(conversation, { activities: [stored], watermark: String(seq) });
    return stored;
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

  /** Activities after the watermark (all kept ones for none), and the watermark to ask with next. */
  after(conversation: Conversation, watermark: number | undefined): ActivitySet {
    const from = watermark ?? 0;
    return {
      activities: conversation.log.filter((e) => e.seq > from).map((e) => e.activity),
      watermark: String(Math.max(conversation.seq, 0)),
    };
  }

  /** Replace an activity in place (the bot's updateActivity); false when it is no longer kept. */
  replace(conversation: Conversation, activityId: string, activity: Record<string, unknown>): DirectLineActivity | undefined {
    const entry = conversation.log.find((e) => e.activity.id === activityId);
    if (!entry) return undefined;
    entry.activity = { ...entry.activity, ...activity, id: activityId } as DirectLineActivity;
    // Streams get the new version (Web Chat replaces by id); a poller past it keeps the old one.
    this.notify(conversation, { activities: [entry.activity], watermark: String(conversation.seq) });
    return entry.activity;
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
    conversation.log = [];
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
