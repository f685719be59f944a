/**
 * Every message between the extension host and the webview, as zod schemas.
 * Both sides import this file: types and run-time checks come from one declaration,
 * so a renamed or reshaped message breaks the build, not the user.
 * Receivers validate with `parseHostMessage` / `parseWebviewMessage` and drop
 * (and log) anything that does not parse. No `vscode` import, no DOM use.
 */
// zod/mini: the same validation with a tree-shakable API; the full build adds ~450 KB to the webview.
import * as z from 'zod/mini';

/** Bumped when a message changes shape incompatibly; the webview shows a reload hint on mismatch. */
export const PROTOCOL_VERSION = 1;

export const Look = z.enum(['editor', 'phosphor']);
export type Look = z.infer<typeof Look>;

/** What the webview needs to render after (re)loading: the host is the source of truth. */
export const ViewSnapshot = z.object({
  protocolVersion: z.literal(PROTOCOL_VERSION),
  extensionVersion: z.string(),
  hasApiKey: z.boolean(),
  /** Host name of the endpoint in use, for the header (never a key or full URL with credentials). */
  endpointHost: z.string(),
  /** True when the endpoint is the offline demo server. */
  isDemoEndpoint: z.boolean(),
  look: Look,
});
export type ViewSnapshot = z.infer<typeof ViewSnapshot>;

// ── webview → host ────────────────────────────────────────────────────────────

export const WebviewMessage = z.discriminatedUnion('type', [
  /** The page's script has loaded and can receive messages; the host answers with a snapshot. */
  z.object({ type: z.literal('ready'), protocolVersion: z.int() }),
  /** The user asked to run one of the extension's commands from the view. */
  z.object({ type: z.literal('runCommand'), command: z.enum(['setApiKey', 'showLogs']) }),
  /** The webview reports a problem of its own (e.g. a host message it dropped). */
  z.object({
    type: z.literal('webviewLog'),
    level: z.enum(['info', 'warn', 'error']),
    message: z.string().check(z.maxLength(2000)),
  }),
]);
export type WebviewMessage = z.infer<typeof WebviewMessage>;

// ── host → webview ────────────────────────────────────────────────────────────

export const HostMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('snapshot'), snapshot: ViewSnapshot }),
]);
export type HostMessage = z.infer<typeof HostMessage>;

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
  return parseWith(HostMessage, raw);
}
