/**
 * When a streaming reply is waiting: its markdown root gets `data-idle` once no text has
 * arrived for IDLE_MS, and loses it with the next text. The cursor blinks only while idle
 * (entry.styles.ts): a blink restarted by every update cost a style pass and a new animation
 * per frame, and a cursor that moves every frame looks solid anyway.
 */
const IDLE_MS = 500;

export class CursorIdle {
  private timer: ReturnType<typeof setTimeout> | undefined;

  /** The reply's text just grew (or it started): not idle, until IDLE_MS pass without text. */
  grew(root: HTMLElement): void {
    clearTimeout(this.timer);
    if (root.hasAttribute('data-idle')) root.removeAttribute('data-idle');
    this.timer = setTimeout(() => root.setAttribute('data-idle', ''), IDLE_MS);
  }

  /** The reply is no longer streaming (or the entry left the page). */
  stop(root: HTMLElement | undefined): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    root?.removeAttribute('data-idle');
  }
}
