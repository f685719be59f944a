/**
 * How components report what the user wants. Children never talk to the host: they dispatch
 * an `IntentEvent` carrying a protocol message (composed, so it crosses shadow roots), and
 * <nt-app> forwards it through the bridge. View-only wishes (open a drawer) are `UiEvent`s.
 */
import type { ViewIntent } from '../../shared/protocol';

export const INTENT = 'nt-intent';
export const UI = 'nt-ui';

export class IntentEvent extends Event {
  constructor(readonly message: ViewIntent) {
    super(INTENT, { bubbles: true, composed: true });
  }
}

export type DrawerName = 'archive' | 'models' | 'telemetry';

export type ModelSort = 'name' | 'price' | 'context';

export type UiRequest =
  | { readonly kind: 'toggleDrawer'; readonly drawer: DrawerName }
  | { readonly kind: 'closeDrawer' }
  /** The composer's text changed (kept in view state so a hidden view keeps the draft). */
  | { readonly kind: 'draft'; readonly text: string }
  /** History drawer filters (kept in view state). */
  | { readonly kind: 'archiveFilters'; readonly query: string; readonly showArchived: boolean; readonly tag: string | undefined }
  /** Models drawer filters (kept in view state). */
  | { readonly kind: 'modelFilters'; readonly query: string; readonly sort: ModelSort; readonly freeOnly: boolean }
  /** The transcript was scrolled (saved in view state so a reload returns to the same place). */
  | { readonly kind: 'scrolled'; readonly anchorId: string; readonly offset: number; readonly following: boolean };

export class UiEvent extends Event {
  constructor(readonly request: UiRequest) {
    super(UI, { bubbles: true, composed: true });
  }
}

/** Dispatches a protocol intent from `source`. */
export function emitIntent(source: EventTarget, message: ViewIntent): void {
  source.dispatchEvent(new IntentEvent(message));
}

export function emitUi(source: EventTarget, request: UiRequest): void {
  source.dispatchEvent(new UiEvent(request));
}

declare global {
  interface HTMLElementEventMap {
    [INTENT]: IntentEvent;
    [UI]: UiEvent;
  }
}
