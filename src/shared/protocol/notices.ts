/** Notices: user-facing problems and the actions that fix them. */
import * as z from 'zod/mini';
import { Id, push, request } from './common';

/** A user-facing problem, with the action that fixes it when there is one. */
export const NoticeAction = z.enum([
  'retry',
  'setApiKey',
  'summarize',
  'switchModel',
  'lowerMaxTokens',
  'overrideBudget',
  'cancel',
  'showLogs',
]);
export type NoticeAction = z.infer<typeof NoticeAction>;

export const Notice = z.object({
  id: Id,
  severity: z.enum(['info', 'warning', 'error']),
  /** Machine kind (e.g. "rate_limited", "context_length"), for styling and tests. */
  kind: z.string().check(z.maxLength(60)),
  message: z.string().check(z.maxLength(2000)),
  conversationId: z.optional(Id),
  messageId: z.optional(Id),
  actions: z.optional(z.array(z.object({ action: NoticeAction, label: z.string(), arg: z.optional(z.string()) }))),
  /** Epoch ms when an automatic retry happens (429 cooldown); the UI counts down. */
  retryAt: z.optional(z.number()),
});
export type Notice = z.infer<typeof Notice>;

export const noticeRequests = [
  /** `arg` is informational: the host uses the argument of the action it offered, never this one. */
  request('notice/act', { noticeId: Id, action: NoticeAction, arg: z.optional(z.string()) }),
  request('notice/dismiss', { noticeId: Id }),
] as const;

export const noticePushes = [push('notice/list', { notices: z.array(Notice) })] as const;
