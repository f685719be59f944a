/**
 * What the transcript's polite live region says: each reply once, when it stops streaming
 * (never per token), with its outcome and the start of its text as the reader would hear it.
 */
import type { EntryView } from '../../shared/protocol';

const ANNOUNCE_CHARS = 600;

/** A drawn entry: its text as read aloud, once it has rendered. */
export interface SpokenEntry {
  readonly updateComplete: Promise<unknown>;
  spokenText(): string;
}

export class ReplyAnnouncer {
  private readonly streamingSeen = new Set<string>();
  private readonly announced = new Set<string>();

  constructor(private readonly say: (text: string) => void) {}

  /** Called with the entries after each change: announces replies that just finished. */
  seen(entries: readonly EntryView[], find: (id: string) => SpokenEntry | null): void {
    for (const e of entries) {
      if (e.status === 'streaming') {
        this.streamingSeen.add(e.id);
        continue;
      }
      if (!this.streamingSeen.has(e.id) || this.announced.has(e.id)) continue;
      this.streamingSeen.delete(e.id);
      this.announced.add(e.id);
      const el = find(e.id);
      const done = el ? el.updateComplete : Promise.resolve(true);
      void done.then(() => {
        const text = (el?.spokenText() ?? e.content).replace(/\s+/g, ' ').trim();
        const head =
          e.status === 'failed'
            ? `Reply failed${e.error ? `: ${e.error.message}` : ''}.`
            : e.status === 'partial'
              ? 'Reply stopped early.'
              : `Reply${e.model ? ` from ${e.model}` : ''}.`;
        this.say(`${head} ${text.length > ANNOUNCE_CHARS ? `${text.slice(0, ANNOUNCE_CHARS)}…` : text}`.trim());
      });
    }
  }
}
