/**
 * Every message between the extension host and the webview, as zod schemas, one
 * file per feature (chat, compare, controls, archive, models, notices, telemetry, editor, view); this
 * file joins them. Both sides import it: types and run-time checks come from one
 * declaration, so a renamed or reshaped message breaks the build, not the user.
 *
 * - Names are namespaced by feature: `chat/send`, `archive/search`, `models/select`.
 * - Every view → host message is a request with a `requestId`; the host answers each
 *   one with exactly one `host/reply` `{ requestId, ok, error? }` (webview/hostBridge.ts
 *   turns that into a promise).
 * - Receivers validate with `parseHostMessage` / `parseWebviewMessage` and drop (and
 *   log) anything that does not parse — except the per-token `chat/stream` message,
 *   which is checked with a cheap shape test (`isStreamDelta`) on the hot path.
 * - Money crosses as exact decimal strings ("0.0123"), never as numbers.
 *
 * No `vscode` import, no DOM use.
 */
import * as z from 'zod/mini';
import { archivePushes, archiveRequests } from './archive';
import { attachmentPushes, attachmentRequests } from './attachments';
import { compareRequests } from './compare';
import { chatPushes, chatRequests, isStreamDelta, type StreamDelta } from './chat';
import { controlsPushes } from './controls';
import { editorRequests } from './editor';
import { modelPushes, modelRequests } from './models';
import { noticePushes, noticeRequests } from './notices';
import { telemetryPushes } from './telemetry';
import { viewPushes, viewRequests } from './view';

export { Look, Mode } from './common';
export { ConversationSummary, SearchHit } from './archive';
export { AttachmentView } from './attachments';
export { ComparisonRow, ComparisonView, MAX_COMPARED, MIN_COMPARED } from './compare';
export { ConversationView, CostSource, EntryStatus, EntryView, isStreamDelta, MAX_EARLIER_PAGE, type StreamDelta } from './chat';
export { ControlsView, ProviderView } from './controls';
export { ModelView, PriceView } from './models';
export { Notice, NoticeAction } from './notices';
export { Telemetry } from './telemetry';
export { HostReply, PROTOCOL_VERSION, ViewSnapshot } from './view';

export const WebviewMessage = z.discriminatedUnion('type', [
  ...viewRequests,
  ...chatRequests,
  ...archiveRequests,
  ...modelRequests,
  ...noticeRequests,
  ...editorRequests,
  ...attachmentRequests,
  ...compareRequests,
]);
/** A request as it crosses the wire, `requestId` included. */
export type WebviewMessage = z.infer<typeof WebviewMessage>;

type WithoutRequestId<T> = T extends unknown ? Omit<T, 'requestId'> : never;
/** A request before the bridge gives it an id: what components and commands express. */
export type ViewIntent = WithoutRequestId<WebviewMessage>;

export const HostMessage = z.discriminatedUnion('type', [
  ...viewPushes,
  ...chatPushes,
  ...controlsPushes,
  ...archivePushes,
  ...modelPushes,
  ...noticePushes,
  ...telemetryPushes,
  ...attachmentPushes,
]);
export type HostMessage = z.infer<typeof HostMessage> | StreamDelta;

export type ParseResult<T> = { ok: true; message: T } | { ok: false; error: string };

function parseWith<T>(schema: z.ZodMiniType<T>, raw: unknown): ParseResult<T> {
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, message: result.data };
  // Summarise without echoing the payload: it may be large or hostile.
  const error = result.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
  return { ok: false, error };
}

export function parseWebviewMessage(raw: unknown): ParseResult<WebviewMessage> {
  return parseWith(WebviewMessage, raw);
}

export function parseHostMessage(raw: unknown): ParseResult<HostMessage> {
  if (isStreamDelta(raw)) return { ok: true, message: raw };
  return parseWith(HostMessage, raw);
}

/**
 * The request id of a message that may not parse, so even a refused request gets its
 * reply. Only a short string is taken; anything else yields undefined.
 */
export function requestIdOf(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const id = (raw as Record<string, unknown>).requestId;
  return typeof id === 'string' && id.length > 0 && id.length <= 100 ? id : undefined;
}

/**
 * The protocol version a message announces, read before it is validated: a `view/ready`
 * or a snapshot from another version does not parse here, yet must still be recognised.
 */
export function announcedProtocolVersion(raw: unknown): number | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const m = raw as Record<string, unknown>;
  const from = m.type === 'view/snapshot' && typeof m.snapshot === 'object' && m.snapshot !== null ? (m.snapshot as Record<string, unknown>) : m;
  return typeof from.protocolVersion === 'number' ? from.protocolVersion : undefined;
}
