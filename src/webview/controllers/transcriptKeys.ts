/**
 * Keyboard and focus in the transcript, as a Lit ReactiveController on <nt-transcript>:
 * - one Tab stop for the whole log (a roving entry): Tab into the log lands on the current
 *   entry, Tab again walks that entry's own controls, and the next Tab leaves the log —
 *   instead of stepping through every message's buttons;
 * - ArrowLeft/Right move between the buttons of an entry's toolbar (ArrowUp/Down, Home/End
 *   between entries are the transcript's own keys);
 * - when what had focus disappears (regenerate replaces the reply, a branch switch replaces
 *   the entry), focus goes to the entry now in its place and, when it has one, the same control;
 *   when another conversation opens (a fork), the host is asked to focus the message box.
 * No layout reads except the one `scrollIntoView` of a focused entry.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** What the transcript offers this controller: its rendered entries in order. */
export interface RovingHost extends ReactiveControllerHost, HTMLElement {
  readonly renderRoot: HTMLElement | DocumentFragment;
  /** Id of the first entry of the conversation (another id means another conversation). */
  conversationKey(): string | undefined;
}

/** An entry element: its id and a focusable article inside its shadow root. */
interface EntryElement extends HTMLElement {
  readonly entry: { readonly id: string };
  focus(): void;
}

/** Fired (bubbling, composed) when focus was lost because another conversation opened. */
export const FOCUS_COMPOSER = 'nt-focus-composer';

const TABBABLE = 'button:not([disabled]), a[href], summary, textarea, input, select, [tabindex]:not([tabindex="-1"])';

interface FocusMemory {
  /** The focused element: focus is restored only when this one went away. */
  readonly element: HTMLElement;
  readonly entryId: string;
  readonly index: number;
  /** How to find the same control again: its accessible label or text. */
  readonly control: string | undefined;
  /** The class of the control's group (the branch switcher, the actions): its fallback. */
  readonly group: string | undefined;
  readonly conversation: string | undefined;
}

export class TranscriptKeys implements ReactiveController {
  /** Id of the entry that holds the log's Tab stop; the newest when none was chosen. */
  private currentId: string | undefined;
  private memory: FocusMemory | undefined;
  /** The conversation on screen before the current update (its properties are already new). */
  private shownKey: string | undefined;
  /** A pointer is down: a click places focus itself, it is never redirected. */
  private pointing = false;

  constructor(private readonly host: RovingHost) {
    host.addController(this);
  }

  // On the shadow root, not the host: a focus move inside the log retargets to the host on both
  // ends, and such events never reach the host's own listeners.
  hostConnected(): void {
    const root = this.host.renderRoot;
    root.addEventListener('focusin', this.onFocusIn as EventListener);
    root.addEventListener('keydown', this.onKeyDown as EventListener);
    root.addEventListener('pointerdown', this.onPointerDown);
  }

  hostDisconnected(): void {
    const root = this.host.renderRoot;
    root.removeEventListener('focusin', this.onFocusIn as EventListener);
    root.removeEventListener('keydown', this.onKeyDown as EventListener);
    root.removeEventListener('pointerdown', this.onPointerDown);
  }

  /** Before each update: what has focus inside the log, in case the update takes it away. */
  hostUpdate(): void {
    const active = deepActiveElement();
    const entry = active instanceof HTMLElement ? entryOf(active) : undefined;
    if (!entry || !(active instanceof HTMLElement)) {
      if (active && active !== document.body) this.memory = undefined;
      return;
    }
    this.memory = {
      element: active,
      entryId: entry.entry.id,
      index: this.entries().indexOf(entry),
      control: active.localName !== 'article' ? labelOf(active) : undefined,
      group: active.closest('[role="group"], [role="toolbar"]')?.classList[0],
      conversation: this.shownKey,
    };
  }

  hostUpdated(): void {
    this.restoreLostFocus();
    this.shownKey = this.host.conversationKey();
  }

  /** Focuses the current entry (or the newest); false when the log is empty. */
  focusCurrent(): boolean {
    const entries = this.entries();
    const target = entries.find((e) => e.entry.id === this.currentId) ?? entries.at(-1);
    if (!target) return false;
    this.focusEntry(target);
    return true;
  }

  private entries(): EntryElement[] {
    return [...this.host.renderRoot.querySelectorAll<EntryElement>('nt-entry')];
  }

  private focusEntry(el: EntryElement): void {
    this.currentId = el.entry.id;
    el.focus();
    el.scrollIntoView({ block: 'nearest' });
  }

  private readonly onFocusIn = (event: FocusEvent): void => {
    const path = event.composedPath();
    const entry = path.find((n): n is EntryElement => n instanceof HTMLElement && n.localName === 'nt-entry');
    const target = path[0] instanceof HTMLElement ? path[0] : undefined;
    if (!target) return;
    // Seen from this host, focus leaving an entry comes from the <nt-entry> element itself.
    const from = event.relatedTarget;
    const fromEntry = from instanceof HTMLElement && (from.localName === 'nt-entry' || entryOf(from) !== undefined);
    // From a control below or above the log (Shift+Tab from the composer lands on the current
    // entry's last button otherwise). Not a focus restored with nothing focused before (no
    // relatedTarget): that one keeps its control.
    const fromOutside = from instanceof Node && !fromEntry && !this.host.renderRoot.contains(from);
    const intoEdge =
      target.getAttribute('role') === 'log' ||
      (entry !== undefined && target.localName !== 'article' && (entry.entry.id !== this.currentId || fromOutside));
    if (!fromEntry && intoEdge && !this.pointing) {
      // Tab (or Shift+Tab) into the log: land on the current entry, not on the first button in it.
      if (this.focusCurrent()) return;
    }
    if (entry) this.currentId = entry.entry.id;
  };

  private readonly onPointerDown = (): void => {
    this.pointing = true;
    setTimeout(() => (this.pointing = false), 0);
  };


  private readonly onKeyDown = (event: KeyboardEvent): void => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    const path = event.composedPath();
    const target = path[0];
    if (!(target instanceof HTMLElement)) return;
    if (target.localName === 'textarea' || target.localName === 'input' || target.isContentEditable) return;
    const entry = path.find((n): n is EntryElement => n instanceof HTMLElement && n.localName === 'nt-entry');
    if (!entry) return;
    if (event.key === 'Tab') {
      this.leaveOnTab(event, entry, target);
      return;
    }
    if (event.key === 'ArrowLeft' || event.key === 'ArrowRight') this.moveInToolbar(event, target);
  };

  /**
   * Tab past the current entry's last control (or Shift+Tab from its article) leaves the log for
   * the next (previous) control outside it — nothing else in the log is a stop.
   */
  private leaveOnTab(event: KeyboardEvent, entry: EntryElement, target: HTMLElement): void {
    const root = entry.shadowRoot;
    if (!root) return;
    const stops = [...root.querySelectorAll<HTMLElement>(TABBABLE)].filter(isTabbable);
    if (event.shiftKey) {
      if (target.localName === 'article') {
        this.leave(event, 'backward');
      } else if (target === stops[0]) {
        // Back from the entry's first control to the entry itself, not into the previous entry.
        event.preventDefault();
        entry.focus();
      }
      return;
    }
    const last = stops.at(-1);
    if (last === undefined || target === last) this.leave(event, 'forward');
  }

  private leave(event: KeyboardEvent, direction: 'forward' | 'backward'): void {
    const next = tabbableBeside(this.host, direction);
    if (!next) return;
    event.preventDefault();
    next.focus();
  }

  /** ArrowLeft/Right between the buttons of one toolbar (the entry's actions). */
  private moveInToolbar(event: KeyboardEvent, target: HTMLElement): void {
    const bar = target.closest('[role="toolbar"]');
    if (!bar) return;
    const buttons = [...bar.querySelectorAll<HTMLElement>('button:not([disabled])')];
    const at = buttons.indexOf(target);
    if (at < 0) return;
    const next = buttons[(at + (event.key === 'ArrowRight' ? 1 : buttons.length - 1)) % buttons.length];
    event.preventDefault();
    next?.focus();
  }

  /** After an update: if the focused control went away with its entry, put focus back near it. */
  private restoreLostFocus(): void {
    const memory = this.memory;
    if (!memory) return;
    const active = deepActiveElement();
    if (active && active !== document.body && active !== document.documentElement) return;
    if (memory.element.isConnected && memory.element.getClientRects().length > 0) return;
    this.memory = undefined;
    if (memory.conversation !== this.host.conversationKey()) {
      this.currentId = undefined;
      this.host.dispatchEvent(new CustomEvent(FOCUS_COMPOSER, { bubbles: true, composed: true }));
      return;
    }
    const entries = this.entries();
    const same = entries.find((e) => e.entry.id === memory.entryId);
    const target = same ?? entries[Math.min(memory.index, entries.length - 1)];
    if (!target) return;
    this.currentId = target.entry.id;
    void (target as unknown as { updateComplete?: Promise<unknown> }).updateComplete?.then(() => {
      const control = memory.control === undefined ? undefined : findControl(target, memory.control, memory.group);
      if (control) control.focus();
      else target.focus();
      target.scrollIntoView({ block: 'nearest' });
    });
  }
}

function isTabbable(el: HTMLElement): boolean {
  return el.tabIndex >= 0 && !el.hasAttribute('disabled') && !el.closest('[inert]') && el.getClientRects().length > 0;
}

/**
 * The first tabbable element after `host` (or the last one before it) in the composed tree —
 * through shadow roots, skipping everything inside `host`.
 */
function tabbableBeside(host: HTMLElement, direction: 'forward' | 'backward'): HTMLElement | undefined {
  let passed = false;
  let before: HTMLElement | undefined;
  let after: HTMLElement | undefined;
  const walk = (parent: ParentNode): boolean => {
    for (const child of parent.children) {
      if (child === host) {
        passed = true;
        if (direction === 'backward') return true;
        continue;
      }
      if (child instanceof HTMLElement && isTabbable(child)) {
        if (passed) {
          after = child;
          return true;
        }
        before = child;
      }
      if (child.shadowRoot && walk(child.shadowRoot)) return true;
      if (walk(child)) return true;
    }
    return false;
  };
  walk(document.body);
  return direction === 'forward' ? after : before;
}

/** The <nt-entry> whose shadow root holds `el`, if any. */
function entryOf(el: Element): EntryElement | undefined {
  const host = (el.getRootNode() as ShadowRoot).host;
  return host?.localName === 'nt-entry' ? (host as EntryElement) : undefined;
}

function labelOf(el: HTMLElement): string | undefined {
  return el.getAttribute('aria-label') ?? (el.textContent?.trim() || undefined);
}

/** The enabled control with that label, else the first enabled one of the same group. */
function findControl(entry: HTMLElement, label: string, group: string | undefined): HTMLElement | undefined {
  const root = entry.shadowRoot;
  if (!root) return undefined;
  for (const c of root.querySelectorAll<HTMLElement>('button:not([disabled])')) if (labelOf(c) === label) return c;
  return group ? (root.querySelector<HTMLElement>(`.${CSS.escape(group)} button:not([disabled])`) ?? undefined) : undefined;
}

function deepActiveElement(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}
