/**
 * Deleting one message (and the replies under it) from the open conversation. The view
 * only asks; the host checks the message is in the open conversation, refuses while a
 * reply streams there, asks in its own dialog, and lets pending bills settle first, so a
 * cost correction never arrives for a message that is gone. What was billed stays in the
 * spend ledger: deleting never lowers the month's spend.
 */
import { subtreeIds } from '../core/messageSubtree';
import type { ChatServices } from './chatServices';
import type { HostDialogs } from './hostDialogs';

export type DeleteOutcome =
  | { readonly kind: 'deleted'; readonly ids: readonly string[] }
  | { readonly kind: 'declined' }
  | { readonly kind: 'refused'; readonly reason: string };

export async function deleteMessageWithConfirmation(
  s: Pick<ChatServices, 'history' | 'engine'>,
  dialogs: Pick<HostDialogs, 'confirm'>,
  messageId: string,
  activeConversationId: string | undefined,
): Promise<DeleteOutcome> {
  const message = await s.history.getMessage(messageId);
  if (message.conversationId !== activeConversationId) {
    return { kind: 'refused', reason: 'Only messages of the open conversation can be deleted.' };
  }
  if (s.engine.isStreaming(message.conversationId)) {
    return { kind: 'refused', reason: 'A reply is streaming in this conversation. Stop it first, then delete.' };
  }
  const ids = subtreeIds(await s.history.listMessages(message.conversationId), messageId);
  const replies = ids.length - 1;
  const agreed = await dialogs.confirm({
    kind: 'deleteMessage',
    message:
      replies === 0
        ? `Delete this ${message.role} message?`
        : `Delete this ${message.role} message and the ${replies} ${replies === 1 ? 'message' : 'messages'} under it?`,
    detail: 'They are removed from history. What they cost stays in this month’s spend; forks made from them keep their copies.',
    confirm: 'Delete',
  });
  if (!agreed) return { kind: 'declined' };
  // The answer took time: check again against the host's state, not the state the dialog showed.
  if (s.engine.isStreaming(message.conversationId)) {
    return { kind: 'refused', reason: 'A reply started streaming in this conversation. Stop it first, then delete.' };
  }
  if (!(await s.history.conversationExists(message.conversationId))) return { kind: 'refused', reason: 'That conversation no longer exists.' };
  // Bills still being looked up land on their messages before those messages go.
  await s.engine.idle();
  const deleted = await s.history.deleteMessage(messageId);
  return { kind: 'deleted', ids: deleted };
}
