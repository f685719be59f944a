/**
 * The composer's `@` menu, as a ReactiveController: typing `@` (at the start or after a space)
 * offers the attachment sources, filtered by the letters typed after it. Arrow keys move,
 * Enter or Tab picks, Escape closes. Picking removes the `@word` from the text and asks the
 * host to run that source's picker.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { SOURCE_KINDS, type SourceKind } from '../../shared/attachments';

export interface SourceOption {
  readonly kind: SourceKind;
  readonly hint: string;
}

/** A hint for every kind the host accepts (the Record makes a new kind a compile error here). */
const HINTS: Record<SourceKind, string> = {
  file: 'a file of the workspace',
  folder: 'a folder: its tree and the files that fit',
  selection: "the editor's selection",
  problems: 'the Problems panel',
  terminal: "the active terminal's recent output",
  git: 'the staged or working diff',
  image: 'an image or PDF (or paste or drop one)',
};

export const SOURCE_OPTIONS: readonly SourceOption[] = SOURCE_KINDS.map((kind) => ({ kind, hint: HINTS[kind] }));

/** `@` then letters, ending at the caret, at the start or after whitespace. */
const MENTION = /(^|\s)@([a-z]*)$/i;

export class MentionController implements ReactiveController {
  /** Where the `@` is in the text; -1 when the menu is closed. */
  private at = -1;
  private query = '';
  active = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly onPick: (kind: SourceKind, textWithoutMention: string) => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  get open(): boolean {
    return this.at >= 0 && this.options.length > 0;
  }

  get options(): readonly SourceOption[] {
    const q = this.query.toLowerCase();
    return SOURCE_OPTIONS.filter((o) => o.kind.startsWith(q));
  }

  /** Call on every input: opens, filters or closes the menu from the text before the caret. */
  update(text: string, caret: number): void {
    const m = MENTION.exec(text.slice(0, caret));
    const wasOpen = this.open;
    if (m) {
      this.at = caret - (m[2]?.length ?? 0) - 1;
      if (m[2] !== this.query) this.active = 0;
      this.query = m[2] ?? '';
    } else {
      this.at = -1;
      this.query = '';
    }
    if (this.open || wasOpen) this.host.requestUpdate();
  }

  close(): void {
    if (this.at < 0) return;
    this.at = -1;
    this.query = '';
    this.host.requestUpdate();
  }

  /** Handles a key while the menu is open; true when it was the menu's key. */
  key(event: KeyboardEvent, text: string): boolean {
    if (!this.open) return false;
    const n = this.options.length;
    switch (event.key) {
      case 'ArrowDown':
        this.active = (this.active + 1) % n;
        break;
      case 'ArrowUp':
        this.active = (this.active - 1 + n) % n;
        break;
      case 'Enter':
      case 'Tab':
        if (event.shiftKey) return false;
        this.pick(this.active, text);
        break;
      case 'Escape':
        this.close();
        break;
      default:
        return false;
    }
    event.preventDefault();
    event.stopPropagation();
    this.host.requestUpdate();
    return true;
  }

  /** Picks option `index` (a click, or Enter): the `@word` leaves the text. */
  pick(index: number, text: string): void {
    const option = this.options[index];
    if (!option || this.at < 0) return;
    const end = this.at + 1 + this.query.length;
    const rest = text.slice(0, this.at) + text.slice(end).replace(/^ /, '');
    this.close();
    this.onPick(option.kind, rest);
  }
}
