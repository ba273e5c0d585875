/**
 * Live takeover: a staff member who claimed a request chats with the visitor
 * while the bot stays silent (but for the crisis safety net). The state lives
 * in a store every instance shares, so whichever instance receives the
 * visitor's next message knows a person is connected.
 */
export interface LiveTakeover {
  requestId: string;
  channel: string;
  conversationId: string;
  /** The staff login connected to the visitor. */
  staff: string;
  startedAt: string;
  /** Last sign of the staff member (a poll or a message); an idle takeover hands the visitor back to the bot. */
  staffSeenAt: string;
  endedAt?: string;
  endedBy?: string;
}

export type LiveSender = 'visitor' | 'staff' | 'bot' | 'system';

/** One line of the live exchange, as the console shows it. */
export interface LiveMessage {
  /** Increasing; the console polls with ?after=<last seq>. */
  seq: number;
  requestId: string;
  from: LiveSender;
  staff?: string;
  text: string;
  /** The safety net saw a crisis in this visitor message (the bot answered with 988/911 guidance). */
  crisis?: boolean;
  at: string;
}

export type StartResult = { ok: true; takeover: LiveTakeover } | { ok: false; reason: 'conversation-live'; staff: string };

/**
 * The durable takeover state and its transcript. The transcript is what the
 * visitor chose to share with staff: it is bounded per request and deleted with
 * the request (retention, "forget me").
 */
export interface LiveTakeoverStore {
  /** Start (or restart) a takeover; one live takeover per conversation at a time. */
  start(requestId: string, channel: string, conversationId: string, staff: string): Promise<StartResult>;
  /** End a live takeover; undefined when it was not live. */
  end(requestId: string, actor: string): Promise<LiveTakeover | undefined>;
  get(requestId: string): Promise<LiveTakeover | undefined>;
  /** The live takeover of a conversation, if any (the bot asks on every visitor message). */
  liveFor(channel: string, conversationId: string): Promise<LiveTakeover | undefined>;
  /** Request ids with a live takeover, for the queue view. */
  liveRequestIds(): Promise<Set<string>>;
  /** The staff member is still there (poll or message). */
  touch(requestId: string): Promise<void>;
  /** Add a line; only the newest `limit` lines of a request are kept. */
  append(message: Omit<LiveMessage, 'seq' | 'at'>, limit?: number): Promise<LiveMessage>;
  messages(requestId: string, afterSeq?: number): Promise<LiveMessage[]>;
  /** Retention (same days as the requests): takeovers ended before the cut-off, and lines of requests already purged. */
  purgeEndedBefore(cutoff: Date): Promise<number>;
  /** "Forget me": every takeover and line of one conversation. */
  deleteConversation(channel: string, conversationId: string): Promise<number>;
}

/** Console sessions as every instance sees them: who was active lately (staffOnline), and sessions logged out. */
export interface StaffSessionStore {
  /** A staff member used the console now. */
  seen(login: string, at?: Date): Promise<void>;
  /** Was any staff member active since the cut-off? */
  anyoneSeenSince(cutoff: Date): Promise<boolean>;
  /** Logged out: not "online" any more. */
  gone(login: string): Promise<void>;
  /** A logged-out session stays refused until it would have expired anyway. */
  revoke(sessionId: string, expiresAt: Date): Promise<void>;
  isRevoked(sessionId: string): Promise<boolean>;
}

/** The transcript keeps this many lines per request (the oldest go first). */
export const LIVE_TRANSCRIPT_LIMIT = 200;
/** Longest line kept; a visitor's longer message is cut, with a mark. */
export const LIVE_MESSAGE_MAX_CHARS = 2000;
