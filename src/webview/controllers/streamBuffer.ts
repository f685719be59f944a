/**
 * The stream buffer of <nt-app>, as a Lit ReactiveController: token deltas are
 * gathered per message and folded into the `appended` text in an animation frame at
 * most once per UPDATE_GAP_MS (with a timer as a fallback, since rAF pauses while the
 * view is hidden). Every update costs the browser a style, layout and paint of the
 * streaming entry however little text it adds, and text that grows 20 times a second
 * reads as smoothly as at 60 (VS Code's own chat renders a streaming reply on a 50 ms
 * timer). The first delta after a pause still goes out in the next frame. The host's
 * conversation is the truth: text it already holds is dropped from the buffer when a
 * new conversation arrives.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { StreamDelta } from '../../shared/protocol';
import { gatherDelta, type StreamText } from '../../shared/streamText';
import type { Appended } from '../components/transcript';

/** Longest wait for a frame before the text is flushed anyway (hidden views get no frames). */
const FRAME_FALLBACK_MS = 100;
/** Least time between two updates while text keeps coming (three frames at 60 Hz). */
export const UPDATE_GAP_MS = 50;
/** About one frame: the wait ends this early so that the frame it asks for lands on the gap. */
const FRAME_MS = 16;

export class StreamBuffer implements ReactiveController {
  /** Streamed text not yet in the host's conversation. */
  private current: ReadonlyMap<string, Appended> = new Map();
  /** Text received since the last frame, per message id. */
  private readonly pending = new Map<string, StreamText>();
  private frame: number | undefined;
  private fallback: ReturnType<typeof setTimeout> | undefined;
  /** Set while the gap after an update runs: text arriving meanwhile waits for its end. */
  private resting: ReturnType<typeof setTimeout> | undefined;

  /** `deliver` gets each new `appended` map (to hand straight to the transcript). */
  constructor(
    host: ReactiveControllerHost,
    private readonly deliver: (appended: ReadonlyMap<string, Appended>) => void,
  ) {
    host.addController(this);
  }

  get appended(): ReadonlyMap<string, Appended> {
    return this.current;
  }

  hostDisconnected(): void {
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    clearTimeout(this.resting);
    clearTimeout(this.fallback);
    this.frame = undefined;
    this.fallback = undefined;
    this.resting = undefined;
  }

  /** Hot path: buffer the delta; the DOM is touched at most once per UPDATE_GAP_MS. */
  push(delta: StreamDelta): void {
    gatherDelta(this.pending, delta.messageId, delta, () => ({ content: delta.content, reasoning: delta.reasoning }));
    if (this.frame === undefined && this.resting === undefined) this.requestFrame();
    // A hidden view gets no frames, so none ends the rest: the timer flushes then.
    else this.fallback ??= setTimeout(this.flush, FRAME_FALLBACK_MS);
  }

  private requestFrame(): void {
    this.frame = requestAnimationFrame(this.flush);
    clearTimeout(this.fallback);
    this.fallback = setTimeout(this.flush, FRAME_FALLBACK_MS);
  }

  /** The gap is (about a frame short of) over: what arrived during it goes out in the next frame. */
  private readonly rested = (): void => {
    this.resting = undefined;
    if (this.pending.size > 0 && this.frame === undefined) this.requestFrame();
  };

  /**
   * Forgets streamed text the host's conversation now holds (or all of it when no
   * conversation is open). Returns whether `appended` changed.
   */
  settle(presentIds: ReadonlySet<string> | undefined): boolean {
    for (const id of this.pending.keys()) if (presentIds?.has(id)) this.pending.delete(id);
    let changed = false;
    const next = new Map(this.current);
    for (const id of next.keys()) {
      if (!presentIds || presentIds.has(id)) {
        next.delete(id);
        changed = true;
      }
    }
    if (changed) this.current = next;
    return changed;
  }

  private readonly flush = (): void => {
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    clearTimeout(this.fallback);
    this.frame = undefined;
    this.fallback = undefined;
    if (this.pending.size === 0) return;
    const next = new Map(this.current);
    for (const [id, p] of this.pending) {
      const had = next.get(id);
      next.set(id, had ? { content: had.content + p.content, reasoning: had.reasoning + p.reasoning } : p);
    }
    this.pending.clear();
    this.current = next;
    clearTimeout(this.resting);
    this.resting = setTimeout(this.rested, UPDATE_GAP_MS - FRAME_MS);
    this.deliver(next);
  };
}
