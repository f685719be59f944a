/**
 * The notices the host is showing (it alone decides which exist, so an action on one
 * can be checked against this list) and the sends a budget refusal holds back until
 * the user overrides it from that notice.
 */
import type { HostMessage, Notice } from '../../../shared/protocol';
import type { Logger } from '../../base/logger';

const MAX_NOTICES = 6;

/** A send the budget refused, kept under its notice's id so "Send anyway" repeats exactly it. */
export interface HeldSend {
  text: string;
  conversationId: string | undefined;
  attachmentIds?: string[];
  /** A comparison's models: "Send anyway" compares again. */
  models?: readonly string[];
}

export class NoticeBoard {
  private notices: Notice[] = [];
  private readonly held = new Map<string, HeldSend>();

  constructor(
    private readonly post: (message: HostMessage) => Promise<void>,
    private readonly log: Logger,
  ) {}

  get list(): Notice[] {
    return this.notices;
  }

  add(notice: Notice): void {
    this.notices = [...this.notices.filter((n) => n.id !== notice.id), notice].slice(-MAX_NOTICES);
    this.send();
  }

  /** Removing a notice also forgets the send it held. */
  remove(id: string): void {
    this.held.delete(id);
    this.keep((n) => n.id !== id);
  }

  /** Drops a conversation's notices (of the given kinds only, when named). */
  clearFor(conversationId: string, kinds?: string[]): void {
    this.keep((n) => n.conversationId !== conversationId || (kinds !== undefined && !kinds.includes(n.kind)));
  }

  hold(noticeId: string, send: HeldSend): void {
    this.held.set(noticeId, send);
  }

  heldSend(noticeId: string): HeldSend | undefined {
    return this.held.get(noticeId);
  }

  /** A webview intent the host would not carry out, for a request's failed reply: logged. */
  refusedRequest(type: string, reason: string): Error {
    this.log.warn(`Refused '${type}' from the webview: ${reason}.`);
    return new Error(`Not done: ${reason}.`);
  }

  /** The same refusal for a command (no reply to carry it): shown as a notice and logged. */
  refuse(type: string, reason: string): void {
    this.log.warn(`Refused '${type}' from the webview: ${reason}.`);
    this.add({ id: `refused-${type}`, severity: 'warning', kind: 'refused_intent', message: `Not done: ${reason}.` });
  }

  private keep(predicate: (n: Notice) => boolean): void {
    const before = this.notices.length;
    this.notices = this.notices.filter(predicate);
    if (this.notices.length !== before) this.send();
  }

  private send(): void {
    void this.post({ type: 'notice/list', notices: this.notices });
  }
}
