import type { DeletedRequest, HandoffPriority, HandoffReason, HandoffRequest, HandoffStatus } from './handoffRequest';

/**
 * What a staff alert (Teams card, webhook) may say about a request: the minimum
 * admissions needs to decide who calls whom first. Never the phone number, the
 * screening answers or the transcript: those stay behind the console login.
 */
export interface AlertSummary {
  id: string;
  reference: string;
  priority: HandoffPriority;
  reason: HandoffReason;
  firstName?: string;
  /** The screening's suggested level of care (id, e.g. "iop") and its readable name. */
  suggestedLevel?: string;
  suggestedLevelName?: string;
  bestTime?: string;
  status: HandoffStatus;
  claimedBy?: string;
  createdAt: string;
  /** The request in the staff console (login required), when PUBLIC_BASE_URL is set. */
  url?: string;
}

/** A request the visitor deleted ("forget me"): which one to forget, and nothing about them. */
export interface DeletedSummary {
  id: string;
  reference: string;
  status: 'deleted';
}

export function deletedSummary(request: DeletedRequest): DeletedSummary {
  return { id: request.id, reference: request.reference, status: 'deleted' };
}

/** Visitor-typed text shown to staff: no markup (a name must not become a link in Teams), short, one line. */
export function plainText(value: string | undefined, max: number): string | undefined {
  if (!value) return undefined;
  const clean = value
    .replace(/\p{Cc}+/gu, ' ')
    .replace(/[<>[\]()*_`~#|\\{}]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return clean ? clean.slice(0, max) : undefined;
}

/** "Sam Rivera" → "Sam": an alert needs no more than a first name. */
export function firstName(name: string | undefined): string | undefined {
  return plainText(plainText(name, 200)?.split(' ')[0], 40);
}

export function consoleLink(publicBaseUrl: string | undefined, requestId: string): string | undefined {
  if (!publicBaseUrl) return undefined;
  return `${publicBaseUrl.replace(/\/+$/, '')}/staff#/requests/${encodeURIComponent(requestId)}`;
}

export function alertSummary(request: HandoffRequest, publicBaseUrl?: string): AlertSummary {
  return {
    id: request.id,
    reference: request.reference,
    priority: request.priority,
    reason: request.reason,
    firstName: firstName(request.name),
    suggestedLevel: request.screening?.level,
    suggestedLevelName: request.screening?.levelName,
    bestTime: plainText(request.bestTime, 80),
    status: request.status,
    claimedBy: plainText(request.claimedBy, 80),
    createdAt: request.createdAt,
    url: consoleLink(publicBaseUrl, request.id),
  };
}
