/**
 * The view state of <nt-app> (open drawer, draft, filters, scroll), as a Lit
 * ReactiveController: updated at once, persisted through the bridge shortly after,
 * because `setState` is not free and drafts change on every keystroke.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { readViewState, type ViewState } from '../viewState';

const PERSIST_DELAY_MS = 150;

export class ViewStateStore implements ReactiveController {
  private current: ViewState = readViewState(undefined);
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly persist: (state: ViewState) => void,
  ) {
    host.addController(this);
  }

  get state(): ViewState {
    return this.current;
  }

  /** Adopts what the bridge kept from an earlier page (validated; anything odd is dropped). */
  load(raw: unknown): void {
    this.current = readViewState(raw);
  }

  /** Updates view state now (rendering unless told not to) and persists it shortly after. */
  save(next: ViewState, render = true): void {
    this.current = next;
    if (render) this.host.requestUpdate();
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.persist(this.current), PERSIST_DELAY_MS);
  }

  hostDisconnected(): void {
    clearTimeout(this.timer);
  }
}
