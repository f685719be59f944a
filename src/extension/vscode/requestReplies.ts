/**
 * The pairing rule on the host side: every request from a page gets exactly one
 * `host/reply` — `ok: true` once its handler finished, `ok: false` with a reason when
 * it did not parse or its handler threw — and a page that announces another protocol
 * version is reloaded. Kept free of the editor API so unit tests drive it directly;
 * chatViewProvider.ts supplies the surface-specific parts.
 */
import {
  announcedProtocolVersion,
  parseWebviewMessage,
  PROTOCOL_VERSION,
  requestIdOf,
  type HostReply,
  type WebviewMessage,
} from '../../shared/protocol';
import type { Logger } from '../base/logger';

export interface RequestContext {
  readonly log: Logger;
  /** Runs a parsed request; a rejection becomes its `ok: false` reply. */
  handle(message: WebviewMessage): Promise<void>;
  reply(reply: HostReply): Promise<void>;
  /** Loads the page afresh (it speaks another protocol version). */
  reload(reason: string): void;
}

/**
 * Thrown by a handler whose request was refused after the user was told why (a notice): the
 * reply says `refused`, so the view gives back what it took and shows nothing twice.
 */
export class ToldRefusal extends Error {}

/** Text shown when a page sends something this host cannot read. */
export const NOT_UNDERSTOOD = 'The view sent a request the extension does not understand.';

/** Handles one raw message from a page and answers it; returns whether it was accepted. */
export async function answerRequest(raw: unknown, context: RequestContext): Promise<boolean> {
  const parsed = parseWebviewMessage(raw);
  if (!parsed.ok) {
    const version = announcedProtocolVersion(raw);
    if (version !== undefined && version !== PROTOCOL_VERSION) context.reload(`the page speaks protocol ${version}`);
    context.log.warn(`Dropped a malformed message from the webview: ${parsed.error}`);
    const requestId = requestIdOf(raw);
    if (requestId) await context.reply({ type: 'host/reply', requestId, ok: false, error: NOT_UNDERSTOOD });
    return false;
  }
  const { requestId, type } = parsed.message;
  try {
    await context.handle(parsed.message);
    await context.reply({ type: 'host/reply', requestId, ok: true });
  } catch (err) {
    context.log.error(`Handling webview message '${type}' failed: ${String(err)}`);
    await context.reply({ type: 'host/reply', requestId, ok: false, error: describeFailure(err), ...(err instanceof ToldRefusal ? { refused: true as const } : {}) });
  }
  return true;
}

/** A failed handler's reason, in words for the user (handlers throw errors meant to be read). */
export function describeFailure(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return (text || 'The request failed.').slice(0, 500);
}
