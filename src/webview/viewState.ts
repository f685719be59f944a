/**
 * What the webview remembers itself across being hidden or reloaded (VS Code's getState /
 * setState): the open drawer, the unsent draft, the scroll position and drawer filters.
 * Data (conversations, telemetry) is not kept here — the host re-sends it in a snapshot.
 * The stored value is validated on the way back in; anything unexpected gives the defaults.
 */
import * as z from 'zod/mini';

const Schema = z.object({
  v: z.literal(1),
  drawer: z.nullable(z.enum(['archive', 'models', 'telemetry'])),
  draft: z.string().check(z.maxLength(1_000_000)),
  /** Where the reader was: the entry at the top of the log and how far it was scrolled past. */
  scroll: z.optional(z.object({ conversationId: z.string(), anchorId: z.string(), offset: z.number(), following: z.boolean() })),
  archive: z.object({ query: z.string(), showArchived: z.boolean(), tag: z.optional(z.string()) }),
  models: z.object({ query: z.string(), sort: z.enum(['name', 'price', 'context']), freeOnly: z.boolean() }),
});

export type ViewState = z.infer<typeof Schema>;

export const DEFAULT_VIEW_STATE: ViewState = {
  v: 1,
  drawer: null,
  draft: '',
  archive: { query: '', showArchived: false },
  models: { query: '', sort: 'price', freeOnly: false },
};

export function readViewState(raw: unknown): ViewState {
  const parsed = Schema.safeParse(raw);
  return parsed.success ? parsed.data : DEFAULT_VIEW_STATE;
}
