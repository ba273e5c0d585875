import { scrubPersonalData } from '../privacy/scrub';
import { describePreferences } from './contactPreferences';
import type { DeletedRequest, HandoffLanguage, HandoffPriority, HandoffReason, HandoffRequest, HandoffStatus } from './handoffRequest';

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
  /** The language to call back in ('es': Spanish). */
  language: HandoffLanguage;
  firstName?: string;
  /** The screening's suggested level of care (id, e.g. "iop") and its readable name. */
  suggestedLevel?: string;
  suggestedLevelName?: string;
  bestTime?: string;
  /** How the visitor asked to be contacted, in words: "No texts; discreet: others may see the phone". */
  contactPreferences?: string;
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

/**
 * Visitor-typed text shown to staff: no markup (a name must not become a link in Teams),
 * no links, short, one line. `scrub` also takes personal data out (a phone number typed in
 * the best time: the callback number is its own field, behind the console login).
 */
export function plainText(value: string | undefined, max: number, options: { scrub?: boolean } = {}): string | undefined {
  if (!value) return undefined;
  let clean = stripMarkup(value);
  if (options.scrub) clean = scrubPersonalData(clean);
  // Links last, on the text as staff will see it; again after the cut, which can leave a shorter domain ("evil.co" of "evil.co9").
  clean = removeLinks(removeLinks(clean).slice(0, max)).trim();
  return clean || undefined;
}

/** Control and invisible characters (zero-width, bidi overrides) and markdown/HTML markup out, one line. */
function stripMarkup(value: string): string {
  return value
    .replace(/\p{Cc}+/gu, ' ')
    .replace(/\p{Cf}+/gu, '')
    .replace(/[<>[\]()*_`~#|\\{}]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

// --- links --------------------------------------------------------------------
// Teams (and many webhook receivers) turn a URL or a bare domain into a clickable link: in a staff
// channel, a link the visitor chose is a phishing lure. It is replaced by a label rather than
// defanged ("evil[.]example[.]com"): staff need nothing from it, and a defanged address still
// invites them to type it in. When in doubt it removes, as the privacy scrubber does: any
// "word.letters" is taken for a domain ("ok.thanks" too), since every new top-level domain
// (.zip, .login, .support…) is clickable somewhere; "3.5 hours", "e.g." and "Dr. Smith" are not domains.

export const LINK_REMOVED = '[link removed]';
/** Dots as IDNA reads them: ".", "。", "．", "｡". */
const DOT = '[.\u3002\uFF0E\uFF61]';
const LABEL = String.raw`[\p{L}\p{N}][\p{L}\p{N}-]*`;
/** Port, path, query: whatever follows the host up to the next space. */
const REST = String.raw`(?::\d{1,5})?(?:[/?]\S*)?`;
const LINKS = [
  // "http://x.y/z", "hxxp://…", "clickhttp://x" (a markdown link with its brackets taken out)
  /[\p{L}][\p{L}\p{N}+.-]*:\/\/\S*/giu,
  // Schemes that need no slashes.
  /(?<![\p{L}\p{N}])(?:mailto|tel|sms|sip|callto|skype|msteams|javascript|vbscript|data|file):\S+/giu,
  // "evil.example.com/login", "www.foo.com", "foo.co.uk", "bob@evil.com"
  new RegExp(String.raw`(?:[\p{L}\p{N}._%+-]+@)?(?:${LABEL}${DOT})+\p{L}{2,63}(?![\p{L}\p{N}])${REST}`, 'giu'),
  // "192.168.0.1/admin"
  new RegExp(String.raw`(?<![\p{N}.])\d{1,3}(?:\.\d{1,3}){3}(?!\p{N})${REST}`, 'gu'),
];

function removeLinks(text: string): string {
  return LINKS.reduce((t, link) => t.replace(link, LINK_REMOVED), text);
}

/** "Sam Rivera" → "Sam": an alert needs no more than a first name. */
export function firstName(name: string | undefined): string | undefined {
  return plainText(stripMarkup(name ?? '').split(' ')[0], 40);
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
    language: request.language ?? 'en',
    firstName: firstName(request.name),
    suggestedLevel: request.screening?.level,
    suggestedLevelName: request.screening?.levelName,
    bestTime: plainText(request.bestTime, 80, { scrub: true }),
    contactPreferences: plainText(describePreferences(request.contactPreferences), 200, { scrub: true }),
    status: request.status,
    claimedBy: plainText(request.claimedBy, 80),
    createdAt: request.createdAt,
    url: consoleLink(publicBaseUrl, request.id),
  };
}
