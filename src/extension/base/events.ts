/**
 * The typed event bus the chat engine publishes on; UI, status bar, storage and logs
 * subscribe. A throwing subscriber is reported and skipped so it cannot break the
 * stream or the other subscribers. No `vscode` import.
 */
import type { Logger } from './logger';

export type Unsubscribe = () => void;

export class EventBus<M extends object> {
  private readonly listeners = new Map<keyof M, Set<(payload: never) => void>>();

  constructor(private readonly log?: Logger) {}

  on<K extends keyof M>(type: K, listener: (payload: M[K]) => void): Unsubscribe {
    let set = this.listeners.get(type);
    if (!set) {
      set = new Set();
      this.listeners.set(type, set);
    }
    const entry = listener as (payload: never) => void;
    set.add(entry);
    return () => set.delete(entry);
  }

  /** Subscribes to every event type (logging, tests). */
  onAny(listener: <K extends keyof M>(type: K, payload: M[K]) => void): Unsubscribe {
    this.anyListeners.add(listener);
    return () => this.anyListeners.delete(listener);
  }

  emit<K extends keyof M>(type: K, payload: M[K]): void {
    for (const listener of this.listeners.get(type) ?? []) {
      try {
        (listener as (p: M[K]) => void)(payload);
      } catch (err) {
        this.log?.error(`A '${String(type)}' subscriber failed: ${String(err)}`);
      }
    }
    for (const listener of this.anyListeners) {
      try {
        listener(type, payload);
      } catch (err) {
        this.log?.error(`An event subscriber failed on '${String(type)}': ${String(err)}`);
      }
    }
  }

  private readonly anyListeners = new Set<<K extends keyof M>(type: K, payload: M[K]) => void>();
}
