import type { ScreeningResult } from '../screening/screening';
import type { ContactPreference } from './contactPreferences';

/** Why a visitor is being handed to admissions. */
export type HandoffReason = 'asked-for-person' | 'screening-completed' | 'fallback' | 'crisis-follow-up';
/** Crisis first: a conversation flagged by the safety net goes to the top of the queue. */
export type HandoffPriority = 'crisis' | 'normal';
/** 'withdrawn': the visitor took back a request no one had claimed yet; it is closed, and not to be reopened. */
export type HandoffStatus = 'open' | 'claimed' | 'resolved' | 'expired' | 'withdrawn';
/** The language the visitor was answered in: staff call back in it. */
export type HandoffLanguage = 'en' | 'es';

/** Everything admissions needs to pick a visitor up, and nothing more (minimum necessary). */
export interface HandoffRequest {
  id: string;
  /** Short, readable reference the visitor is given ("GB-7K2Q9"). */
  reference: string;
  reason: HandoffReason;
  priority: HandoffPriority;
  channel: string;
  /** The conversation's language ('es': the bot answered in Spanish, so call back in Spanish). Requests stored before it read as 'en'. */
  language: HandoffLanguage;
  conversationId: string;
  /** The Bot Framework conversation reference, so staff replies can be sent later. */
  conversationReference: unknown;
  name?: string;
  /** E.164, e.g. +16175550123. */
  phone?: string;
  bestTime?: string;
  /** The visitor's consent to be called or texted, as they were asked it, and when. */
  contactConsent?: { text: string; at: string };
  /** How the visitor asked to be contacted ("no texts", "in Spanish", "discreet"…); staff read it with describePreferences. */
  contactPreferences?: ContactPreference[];
  screening?: ScreeningResult;
  /** Only with the visitor's consent. */
  transcriptExcerpt?: string[];
  status: HandoffStatus;
  claimedBy?: string;
  claimedAt?: string;
  createdAt: string;
  updatedAt: string;
}

export interface AuditEntry {
  requestId: string;
  actor: string;
  action: 'created' | 'claimed' | 'note' | 'resolved' | 'reopened' | 'expired' | 'deleted' | 'escalated' | 'withdrawn';
  detail?: string;
  at: string;
}

/** What the bot files; the language defaults to English. */
export type NewHandoffRequest = Omit<HandoffRequest, 'id' | 'reference' | 'status' | 'createdAt' | 'updatedAt' | 'claimedBy' | 'claimedAt' | 'language'> & {
  language?: HandoffLanguage;
};

/** A stored language column as the request's language: anything but 'es' (old rows: the default) is English. */
export const storedLanguage = (value: string | null | undefined): HandoffLanguage => (value === 'es' ? 'es' : 'en');

/** What is left of a request "forget me" deleted: enough to tell staff which one to forget. */
export type DeletedRequest = Pick<HandoffRequest, 'id' | 'reference'>;

export type ClaimResult = { ok: true; request: HandoffRequest } | { ok: false; claimedBy?: string; status?: HandoffStatus };

/** The durable staff queue. SQLite by default; the PostgreSQL store implements the same (hence async). */
export interface HandoffStore {
  /** Committed before it returns: only then may the visitor be told it was received. */
  create(request: NewHandoffRequest, actor?: string): Promise<HandoffRequest>;
  get(id: string): Promise<HandoffRequest | undefined>;
  /** Open and claimed requests, crisis first, then oldest first. */
  listActive(): Promise<HandoffRequest[]>;
  /** Exactly one of several simultaneous claims wins; the others learn who has it. */
  claim(id: string, staff: string): Promise<ClaimResult>;
  addNote(id: string, staff: string, note: string): Promise<void>;
  /**
   * The visitor's last few messages, which they agreed to share after filing: set on a request
   * still open or claimed (false otherwise). Kept in the request, so deleted with it.
   */
  attachExcerpt(id: string, excerpt: string[]): Promise<boolean>;
  resolve(id: string, staff: string): Promise<boolean>;
  reopen(id: string, staff: string): Promise<boolean>;
  audit(id: string): Promise<AuditEntry[]>;
  /**
   * A crisis signal in a conversation that already has a request in the queue (open
   * or claimed): it goes to crisis priority, audited with the signal's kind. Returns
   * the requests that changed (none if there were none, or they already were crisis).
   */
  escalate(channel: string, conversationId: string, detail: string): Promise<HandoffRequest[]>;
  /**
   * The visitor takes back their request(s): the conversation's open (unclaimed) ones, or only the
   * one with this reference, become 'withdrawn', audited with actor "visitor". Returns those that changed;
   * a claimed request is left to the staff member who has it.
   */
  withdraw(channel: string, conversationId: string, reference?: string): Promise<HandoffRequest[]>;
  /** Retention: delete resolved, expired or withdrawn requests last updated before the cut-off. */
  purgeClosedBefore(cutoff: Date): Promise<number>;
  /** "Forget me": every request of one conversation (with its audit trail and unsent alerts); returns those deleted. */
  deleteConversation(channel: string, conversationId: string): Promise<DeletedRequest[]>;
}
