/**
 * The view itself: the handshake, the snapshot it renders after (re)loading, the
 * host's answer to every request, and view-wide requests (commands, mode, logs).
 * `view/ready` and `view/reload` keep their shape across protocol versions: they are
 * how a view and a host that disagree on the version find out and recover.
 */
import * as z from 'zod/mini';
import { Look, Mode, push, request, RequestId } from './common';
import { ConversationView } from './chat';
import { AttachmentView } from './attachments';
import { Notice } from './notices';
import { Telemetry } from './telemetry';

/** Bumped when a message changes shape incompatibly; a view that speaks another version is reloaded. */
export const PROTOCOL_VERSION = 5;

/** What the webview needs to render after (re)loading: the host is the source of truth. */
export const ViewSnapshot = z.object({
  protocolVersion: z.literal(PROTOCOL_VERSION),
  extensionVersion: z.string(),
  hasApiKey: z.boolean(),
  /** Host name of the endpoint in use (never a key or a URL with credentials). */
  endpointHost: z.string(),
  /** True when the endpoint is on this machine (the offline demo server, a local proxy). */
  isDemoEndpoint: z.boolean(),
  look: Look,
  mode: Mode,
  /** The transcript's prose: the editor's monospace or the UI font, and a size in px (0: the editor's). */
  prose: z.optional(z.object({ font: z.enum(['editor', 'ui']), size: z.int().check(z.gte(0), z.lte(40)) })),
  /** Where the view lives: the narrow sidebar or a wide editor tab. */
  placement: z.enum(['sidebar', 'editor']),
  selectedModel: z.string(),
  conversation: z.optional(ConversationView),
  /** The composer's chips (attachments waiting for the next send). */
  attachments: z.optional(z.array(AttachmentView).check(z.maxLength(20))),
  telemetry: z.optional(Telemetry),
  notices: z.array(Notice),
});
export type ViewSnapshot = z.infer<typeof ViewSnapshot>;

export const viewRequests = [
  /** The page's script has loaded and can receive messages; the host answers with a snapshot. */
  request('view/ready', { protocolVersion: z.int() }),
  /** The view found it speaks another protocol version than the host: load it afresh. */
  request('view/reload', { reason: z.string().check(z.maxLength(200)) }),
  /** The user asked to run one of the extension's commands from the view. */
  request('view/runCommand', {
    command: z.enum(['setApiKey', 'showLogs', 'selectModel', 'newConversation', 'openInEditor', 'searchHistory']),
  }),
  /** The webview reports a problem of its own (e.g. a host message it dropped). */
  request('view/log', {
    level: z.enum(['info', 'warn', 'error']),
    message: z.string().check(z.maxLength(2000)),
  }),
  request('view/setMode', { mode: Mode }),
] as const;

/** The host's answer to one request: every request gets exactly one. */
export const HostReply = push('host/reply', {
  requestId: RequestId,
  ok: z.boolean(),
  /** Why the request failed, in words fit for the user. */
  error: z.optional(z.string().check(z.maxLength(2000))),
  /**
   * Understood and refused, and the user already told why (a notice): the view shows no second
   * message, and gives back what the request took (a refused send's text returns to the composer).
   */
  refused: z.optional(z.literal(true)),
});
export type HostReply = z.infer<typeof HostReply>;

export const viewPushes = [push('view/snapshot', { snapshot: ViewSnapshot }), HostReply] as const;
