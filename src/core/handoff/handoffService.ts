import type { ClaimResult, DeletedRequest, HandoffRequest, HandoffStore, NewHandoffRequest } from './handoffRequest';

/**
 * Something that happened to a request, for staff alerts (Teams, webhook) and the console;
 * `actor` is "bot", "visitor" or a staff login. After "forget me" ('deleted') the request is
 * gone: staff hear which one it was, and nothing else about it.
 */
export type HandoffEvent =
  | { type: 'created' | 'claimed' | 'note' | 'resolved' | 'reopened' | 'escalated' | 'withdrawn'; request: HandoffRequest; actor: string; at: string }
  | { type: 'deleted'; request: DeletedRequest; actor: string; at: string };

/**
 * Told about every change. Must return at once and never throw: an alert that
 * fails is retried and surfaced by the notifier itself, never by the visitor's turn.
 */
export interface HandoffNotifier {
  notify(event: HandoffEvent): void;
}

/**
 * The queue as the bot and the console use it: the store does the durable work,
 * then every notifier hears of the change. The store commits first, so a visitor
 * is only told "received" once the request is safe.
 */
export class HandoffService {
  private readonly notifiers: HandoffNotifier[] = [];

  constructor(readonly store: HandoffStore) {}

  addNotifier(notifier: HandoffNotifier): void {
    this.notifiers.push(notifier);
  }

  private emit(type: Exclude<HandoffEvent['type'], 'deleted'>, request: HandoffRequest | undefined, actor: string): void {
    if (request) this.tell({ type, request, actor, at: new Date().toISOString() });
  }

  private tell(event: HandoffEvent): void {
    for (const n of this.notifiers) {
      try {
        n.notify(event);
      } catch {
        // A notifier must not throw; if one does, the others still hear of it.
      }
    }
  }

  async create(request: NewHandoffRequest, actor = 'bot'): Promise<HandoffRequest> {
    const created = await this.store.create(request, actor);
    this.emit('created', created, actor);
    return created;
  }

  async claim(id: string, staff: string): Promise<ClaimResult> {
    const result = await this.store.claim(id, staff);
    if (result.ok) this.emit('claimed', result.request, staff);
    return result;
  }

  /** The visitor agreed to share their last few messages with the request they filed. */
  async attachExcerpt(id: string, excerpt: string[]): Promise<boolean> {
    return this.store.attachExcerpt(id, excerpt);
  }

  async addNote(id: string, staff: string, note: string): Promise<void> {
    await this.store.addNote(id, staff, note);
    this.emit('note', await this.store.get(id), staff);
  }

  async resolve(id: string, staff: string): Promise<boolean> {
    const ok = await this.store.resolve(id, staff);
    if (ok) this.emit('resolved', await this.store.get(id), staff);
    return ok;
  }

  /** A crisis signal in a conversation with a request in the queue: the request goes to the top, and staff hear of it. */
  async escalate(channel: string, conversationId: string, kind: string): Promise<HandoffRequest[]> {
    const changed = await this.store.escalate(channel, conversationId, `crisis signal: ${kind}`);
    for (const request of changed) this.emit('escalated', request, 'bot');
    return changed;
  }

  /** "Forget me": the conversation's requests are deleted, and staff told to forget them (Teams cards, webhook receivers). */
  async forgetConversation(channel: string, conversationId: string): Promise<DeletedRequest[]> {
    const deleted = await this.store.deleteConversation(channel, conversationId);
    for (const request of deleted) this.tell({ type: 'deleted', request, actor: 'visitor', at: new Date().toISOString() });
    return deleted;
  }

  /**
   * The visitor takes back their request ("cancel my callback"): the conversation's unclaimed
   * requests (or the one with this reference) are withdrawn, and staff told, as for any change
   * (Teams card, handoff.withdrawn webhook). A claimed one is left to its staff member. Returns those withdrawn.
   */
  async cancelByVisitor(channel: string, conversationId: string, reference?: string): Promise<HandoffRequest[]> {
    const withdrawn = await this.store.withdraw(channel, conversationId, reference?.trim().toUpperCase() || undefined);
    for (const request of withdrawn) this.emit('withdrawn', request, 'visitor');
    return withdrawn;
  }

  async reopen(id: string, staff: string): Promise<boolean> {
    const ok = await this.store.reopen(id, staff);
    if (ok) this.emit('reopened', await this.store.get(id), staff);
    return ok;
  }
}
