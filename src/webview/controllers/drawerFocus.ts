/**
 * Drawer focus for <nt-app>, as a Lit ReactiveController: opening a drawer moves focus
 * into it, closing it (button or Esc) returns focus to what opened it — or to the
 * drawer's toolbar button, or the composer, when that is gone.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { DrawerName } from '../components/events';
import type { ViewStateStore } from './viewStateStore';

type DrawerHost = ReactiveControllerHost & HTMLElement & { readonly renderRoot: HTMLElement | DocumentFragment };

export class DrawerFocus implements ReactiveController {
  private opener: HTMLElement | undefined;

  constructor(
    private readonly host: DrawerHost,
    private readonly view: ViewStateStore,
    private readonly fallback: () => HTMLElement | undefined,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.host.addEventListener('keydown', this.onKey);
  }

  hostDisconnected(): void {
    this.host.removeEventListener('keydown', this.onKey);
  }

  async toggle(drawer: DrawerName, opener?: HTMLElement): Promise<void> {
    if (this.view.state.drawer === drawer) {
      await this.close();
      return;
    }
    this.opener = opener;
    this.view.save({ ...this.view.state, drawer });
    await this.host.updateComplete;
    this.host.renderRoot.querySelector<HTMLElement>('.drawer')?.focus();
  }

  async close(): Promise<void> {
    const was = this.view.state.drawer;
    if (!was) return;
    this.view.save({ ...this.view.state, drawer: null });
    await this.host.updateComplete;
    const back = this.opener?.isConnected ? this.opener : this.host.renderRoot.querySelector<HTMLElement>(`.tools [data-drawer="${was}"]`);
    (back ?? this.fallback())?.focus();
    this.opener = undefined;
  }

  /** Esc closes an open drawer (the composer and editors stop it when they use Esc themselves). */
  private readonly onKey = (event: KeyboardEvent): void => {
    if (event.key === 'Escape' && this.view.state.drawer && !event.defaultPrevented) {
      event.preventDefault();
      void this.close();
    }
  };
}
