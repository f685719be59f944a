/**
 * Where focus goes when the view itself is focused, as a Lit ReactiveController on <nt-app>:
 * "Focus on Chat View" (or clicking the view's tab) focuses the webview's window; with nothing
 * inside focused yet, the message box takes it — not the page body. The transcript asks for the
 * same when its focused entry went away with the conversation (a fork opened).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { FOCUS_COMPOSER } from './transcriptKeys';

export class ViewFocus implements ReactiveController {
  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly composer: () => HTMLElement | undefined,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    window.addEventListener('focus', this.onWindowFocus);
    this.host.addEventListener(FOCUS_COMPOSER, this.focusComposer);
    // The view may have been focused before this script ran.
    if (document.hasFocus()) void this.host.updateComplete.then(this.onWindowFocus);
  }

  hostDisconnected(): void {
    window.removeEventListener('focus', this.onWindowFocus);
    this.host.removeEventListener(FOCUS_COMPOSER, this.focusComposer);
  }

  private readonly onWindowFocus = (): void => {
    const active = document.activeElement;
    if (active === null || active === document.body || active === document.documentElement) this.focusComposer();
  };

  private readonly focusComposer = (): void => {
    this.composer()?.focus();
  };
}
