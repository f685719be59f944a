/**
 * The host's rules for what a webview may ask. The view expresses intent; the host
 * decides. These are the pure checks the intent handlers call before acting: a notice
 * action must be one the host itself offered on a notice it is showing (and its
 * argument is the host's, never the view's), a log line from the view cannot forge
 * lines of ours, and a link is judged by the host before any dialog shows it.
 * No `vscode` import.
 */
import type { Notice, NoticeAction } from '../../shared/protocol';

/** Actions the view shows for a notice kind when the host sent none (see webview notices). */
const VIEW_DEFAULT_ACTIONS: Readonly<Record<string, readonly NoticeAction[]>> = {
  rate_limited: ['retry'],
  unavailable: ['switchModel'],
  provider: ['switchModel'],
  context_length: ['summarize'],
  stalled: ['cancel'],
  unauthorized: ['setApiKey'],
  missing_key: ['setApiKey'],
};

export type NoticeActionCheck =
  | { ok: true; notice: Notice; arg: string | undefined }
  | { ok: false; reason: string };

/**
 * Accepts a notice action only when the host is showing that notice and offered that
 * action on it. The argument comes from the host's own notice, so a forged
 * `lowerMaxTokens` with `1000000` can neither pick the notice nor the number.
 */
export function checkNoticeAction(shown: readonly Notice[], noticeId: string, action: NoticeAction): NoticeActionCheck {
  const notice = shown.find((n) => n.id === noticeId);
  if (!notice) return { ok: false, reason: `no notice ${clip(noticeId)} is showing` };
  const offered = notice.actions?.find((a) => a.action === action);
  if (offered) return { ok: true, notice, arg: offered.arg };
  // Defaults carry no argument; argument-bearing actions must be offered explicitly.
  if (!notice.actions && VIEW_DEFAULT_ACTIONS[notice.kind]?.includes(action)) return { ok: true, notice, arg: undefined };
  return { ok: false, reason: `notice ${clip(noticeId)} does not offer '${action}'` };
}

/**
 * One line of text for our log from a view-supplied string: CR, LF, other C0/C1
 * controls and bidi/format controls become visible escapes, so the view cannot
 * start a line of its own or reorder what a reader sees.
 */
export function sanitizeLogLine(text: string, max = 2000): string {
  const clipped = text.length > max ? `${text.slice(0, max)}…` : text;
  return clipped.replace(CONTROL_OR_BIDI, (c) => escapeChar(c));
}

/** C0/C1 controls, DEL, bidi embeddings/overrides/isolates, marks, line/paragraph separators. */
const CONTROL_OR_BIDI = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function escapeChar(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** Text for a dialog: bidi controls shown as `\u202e` escapes instead of reordering the text. */
export function escapeBidi(text: string): string {
  return text.replace(BIDI, escapeChar);
}

/** Longest link the host offers to open; longer ones are only shown as text. */
export const MAX_LINK_LENGTH = 4000;
const OPENABLE_SCHEMES = new Set(['http', 'https', 'mailto']);

export type LinkVerdict =
  | { kind: 'open'; url: string; shown: string }
  | { kind: 'too-long'; length: number; shown: string }
  | { kind: 'refused'; scheme: string }
  | { kind: 'invalid' };

/**
 * Decides about a link from model output before asking the user: the scheme is
 * compared without case (`HTTPS:` is https), only http(s)/mailto open, a link too long
 * to read is shown as text, and the text shown has bidi controls escaped.
 */
export function judgeLink(raw: string): LinkVerdict {
  const url = raw.trim();
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined) return { kind: 'invalid' };
  if (!OPENABLE_SCHEMES.has(scheme)) return { kind: 'refused', scheme: clip(escapeBidi(sanitizeLogLine(scheme, 40)), 40) };
  const shown = escapeBidi(sanitizeLogLine(url, MAX_LINK_LENGTH));
  if (url.length > MAX_LINK_LENGTH) return { kind: 'too-long', length: url.length, shown: `${shown.slice(0, 300)}…` };
  if (/[\s\u0000-\u001f\u007f]/.test(url)) return { kind: 'invalid' };
  return { kind: 'open', url: scheme + url.slice(scheme.length), shown: shown.length > 600 ? `${shown.slice(0, 600)}…` : shown };
}

function clip(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
