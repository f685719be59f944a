/**
 * Checks every intent from a webview against the host's own state before a handler
 * acts on it: ids must name conversations and messages the history holds, a model id
 * must be in the catalog, and text to copy or insert must come from the open
 * conversation. A refused intent changes nothing; the reason is shown and logged.
 */
import { isStorageError } from '../storage';
import type { ChatServices } from './chatServices';
import type { Intent } from './intents/context';
import { readSentAttachments } from '../../shared/attachments';

/** Why the intent is refused, or undefined when the host accepts it. */
export async function refuseIntent(s: Pick<ChatServices, 'history' | 'catalog'>, intent: Intent, activeConversationId: string | undefined): Promise<string | undefined> {
  switch (intent.type) {
    case 'chat/send':
    case 'compare/start':
      return intent.conversationId !== undefined ? conversationMissing(s, intent.conversationId) : undefined;
    case 'chat/cancel':
    case 'chat/summarize':
    case 'archive/rename':
    case 'archive/tag':
    case 'archive/setArchived':
    case 'archive/delete':
      return conversationMissing(s, intent.conversationId);
    case 'chat/retry':
    case 'chat/regenerate':
    case 'chat/editAndResend':
    case 'chat/switchBranch':
    case 'chat/fork':
    case 'chat/deleteMessage':
    case 'compare/pick':
      return messageMissing(s, intent.messageId);
    case 'models/select':
      return modelUnknown(s, intent.modelId);
    case 'editor/codeAction':
      return (await fromOpenConversation(s, activeConversationId, intent.code)) ? undefined : 'that code is not part of the open conversation';
    case 'editor/copyText':
      return (await fromOpenConversation(s, activeConversationId, intent.text)) ? undefined : 'that text is not part of the open conversation';
    default:
      return undefined;
  }
}

async function conversationMissing(s: Pick<ChatServices, 'history'>, id: string): Promise<string | undefined> {
  // Existence only: a conversation whose rows fail to load can still be deleted.
  return (await s.history.conversationExists(id)) ? undefined : 'that conversation does not exist';
}

async function messageMissing(s: Pick<ChatServices, 'history'>, id: string): Promise<string | undefined> {
  try {
    await s.history.getMessage(id);
    return undefined;
  } catch (error) {
    if (isStorageError(error)) return 'that message does not exist';
    throw error;
  }
}

/** A model id the catalog lists; with no catalog at all nothing can be checked, so nothing is written. */
export async function modelUnknown(s: Pick<ChatServices, 'catalog'>, modelId: string): Promise<string | undefined> {
  const snapshot = s.catalog.current() ?? (await s.catalog.get().catch(() => undefined));
  if (!snapshot) return 'the model list is not available to check that model';
  return snapshot.byId.has(modelId) ? undefined : `“${modelId.slice(0, 80)}” is not in the model list`;
}

/**
 * True when `text` appears in a message of the open conversation. Whitespace is
 * ignored: rendered code loses indentation markers and trailing newlines.
 */
async function fromOpenConversation(s: Pick<ChatServices, 'history'>, conversationId: string | undefined, text: string): Promise<boolean> {
  if (!conversationId || !(await s.history.findConversation(conversationId))) return false;
  const needle = squash(text);
  if (needle === '') return false;
  // A sent selection chip's code is in the message's metadata, not its text (it is drawn as code too).
  const texts = (m: { content: string; metadata: unknown }) => [m.content, ...readSentAttachments(m.metadata).map((a) => a.text)];
  return (await s.history.listMessages(conversationId)).some((m) => texts(m).some((t) => squash(t).includes(needle)));
}

function squash(text: string): string {
  return text.replace(/\s+/g, '');
}
