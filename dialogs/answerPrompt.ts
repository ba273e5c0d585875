import type { Activity, TurnContext } from 'botbuilder';
import type { PromptOptions } from 'botbuilder-dialogs';
import { TextPrompt } from './sdk';
import { renderFor } from '../src/channels/render';
import type { Reply } from '../src/core/reply';

/** What a prompt carries besides its text: on SMS, the parts of a long question that go before it. */
export interface LeadingParts {
  leading?: Partial<Activity>[];
  retryLeading?: Partial<Activity>[];
}

/** A text prompt that sends a long question's leading SMS parts first, on every ask and re-ask. */
export class AnswerPrompt extends TextPrompt {
  protected override async onPrompt(context: TurnContext, state: object, options: PromptOptions, isRetry: boolean): Promise<void> {
    const v = options.validations as LeadingParts | undefined;
    const leading = (isRetry && options.retryPrompt ? v?.retryLeading : v?.leading) ?? [];
    if (leading.length) await context.sendActivities(leading);
    await super.onPrompt(context, state, options, isRetry);
  }
}

/**
 * Prompt options for a Reply on any channel: the prompt is the reply's last
 * part (the one with the choices); on SMS, earlier parts are sent before it.
 */
export function promptOptions<V extends object>(reply: Reply, retry: Reply, context: TurnContext, validations: V): PromptOptions {
  const parts = renderFor(context, reply);
  const retryParts = renderFor(context, retry);
  return {
    prompt: parts[parts.length - 1],
    retryPrompt: retryParts[retryParts.length - 1],
    validations: { ...validations, leading: parts.slice(0, -1), retryLeading: retryParts.slice(0, -1) },
  };
}
