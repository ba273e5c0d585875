import { CardFactory, type Attachment } from 'botbuilder';
import type { AlertSummary, DeletedSummary } from '../core/handoff/alertSummary';
import type { HandoffReason } from '../core/handoff/handoffRequest';

/** The Claim button's data; a press comes back as a message whose value is this. */
export const CLAIM_ACTION = 'handoff.claim';

const REASONS: Record<HandoffReason, string> = {
  'asked-for-person': 'Asked to talk to a person',
  'screening-completed': 'Finished the self-screen',
  fallback: 'The bot could not answer',
  'crisis-follow-up': 'Crisis follow-up',
};

function statusLine(s: AlertSummary): string {
  if (s.status === 'claimed') return `Claimed by ${s.claimedBy ?? 'a staff member'}`;
  if (s.status === 'resolved') return 'Resolved';
  if (s.status === 'expired') return 'Expired';
  if (s.status === 'withdrawn') return 'Withdrawn by the visitor: no callback wanted';
  return 'Waiting for someone to claim it';
}

/**
 * The alert posted in the admissions channel: only what decides who calls whom
 * first. Claim disappears once someone has it; Open leads to the console, behind its login.
 */
export function alertCard(s: AlertSummary): Attachment {
  const crisis = s.priority === 'crisis';
  const facts = [
    { title: 'Priority', value: crisis ? 'CRISIS' : 'Normal' },
    { title: 'First name', value: s.firstName ?? '(not given)' },
    ...(s.language === 'es' ? [{ title: 'Language', value: 'Español / Spanish callback' }] : []),
    { title: 'Suggested level', value: s.suggestedLevelName ?? s.suggestedLevel ?? '(no screening)' },
    { title: 'Best time', value: s.bestTime ?? '(not given)' },
    ...(s.contactPreferences ? [{ title: 'Contact preferences', value: s.contactPreferences }] : []),
    { title: 'Reason', value: REASONS[s.reason] ?? s.reason },
    { title: 'Reference', value: s.reference },
  ];
  const actions: unknown[] = [];
  if (s.status === 'open') actions.push({ type: 'Action.Submit', title: 'Claim', data: { action: CLAIM_ACTION, requestId: s.id } });
  if (s.url) actions.push({ type: 'Action.OpenUrl', title: 'Open', url: s.url });
  return CardFactory.adaptiveCard({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.4',
    body: [
      {
        type: 'TextBlock',
        text: crisis ? 'CRISIS: admissions request, call first' : 'New admissions request',
        weight: 'Bolder',
        size: 'Medium',
        color: crisis ? 'Attention' : 'Default',
        wrap: true,
      },
      { type: 'FactSet', facts },
      { type: 'TextBlock', text: statusLine(s), wrap: true, isSubtle: s.status === 'open', weight: s.status === 'open' ? 'Default' : 'Bolder' },
    ],
    actions,
  });
}

/** What an alert card becomes when the visitor says "forget me": the reference only, no name, no buttons. */
export function deletedCard(s: DeletedSummary): Attachment {
  return CardFactory.adaptiveCard({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.4',
    body: [
      { type: 'TextBlock', text: 'Admissions request deleted by the visitor', weight: 'Bolder', size: 'Medium', wrap: true },
      { type: 'FactSet', facts: [{ title: 'Reference', value: s.reference }] },
      { type: 'TextBlock', text: 'Deleted by the visitor ("forget me"): nothing about them is kept and the request no longer exists.', wrap: true },
    ],
    actions: [],
  });
}
