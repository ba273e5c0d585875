/**
 * The botbuilder-dialogs classes the bot uses, from their own modules. The package's root
 * module loads every prompt, and with them the date-time and choice recognizers of
 * Microsoft.Recognizers.Text (about 10 MB of code): half a second of start-up and memory for
 * prompts the bot never uses. Types still come from 'botbuilder-dialogs' (erased at compile).
 */
export { ComponentDialog } from 'botbuilder-dialogs/lib/componentDialog';
export { DialogSet } from 'botbuilder-dialogs/lib/dialogSet';
export { TextPrompt } from 'botbuilder-dialogs/lib/prompts/textPrompt';
export { WaterfallDialog } from 'botbuilder-dialogs/lib/waterfallDialog';
