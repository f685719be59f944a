/**
 * What the host has told the view, folded by one pure reducer: `<nt-app>` keeps a single
 * `HostState` and renders from it. Side effects (scroll restore, reveal, the stream buffer)
 * stay in the app; this file has no DOM and no Lit, so the rules are testable alone.
 */
import type { AttachmentView, ConversationSummary, ConversationView, HostMessage, Mode, ModelView, Notice, SearchHit, StreamDelta, Telemetry, ViewSnapshot } from '../shared/protocol';
import type { EstimateView } from './components/composer';
import type { ControlsState } from './components/controls';

export interface HostState {
  readonly snapshot: ViewSnapshot | undefined;
  readonly conversation: ConversationView | undefined;
  readonly telemetry: Telemetry | undefined;
  readonly notices: readonly Notice[];
  readonly mode: Mode;
  readonly selectedModel: string;
  readonly estimate: EstimateView | undefined;
  /** The composer's chips, as the host last sent them. */
  readonly attachments: readonly AttachmentView[];
  readonly controls: ControlsState | undefined;
  /** The history drawer's list, paged in by offset, and how many there are in all. */
  readonly conversations: readonly ConversationSummary[];
  readonly conversationTotal: number;
  readonly searchHits: readonly SearchHit[] | undefined;
  readonly searchError: string | undefined;
  readonly models: readonly ModelView[] | undefined;
  readonly modelsStale: boolean;
}

export const INITIAL_HOST_STATE: HostState = {
  snapshot: undefined,
  conversation: undefined,
  telemetry: undefined,
  notices: [],
  mode: 'research',
  selectedModel: '',
  estimate: undefined,
  attachments: [],
  controls: undefined,
  conversations: [],
  conversationTotal: 0,
  searchHits: undefined,
  searchError: undefined,
  models: undefined,
  modelsStale: false,
};

/** The messages the reducer folds (tokens go to the stream buffer, replies to the bridge). */
export type StateMessage = Exclude<HostMessage, StreamDelta | { type: 'host/reply' }>;

export interface ReduceContext {
  /** Id of the latest `archive/search`: results answering an older one are ignored. */
  readonly latestSearchId: string | undefined;
}

/**
 * The host sends a window of the active branch (its newest entries); older pages the view
 * loaded stay in front of it while they are still the same branch: the window's first entry is
 * one the view holds, at the place the host's count says. Otherwise the window replaces them.
 */
export function mergeWindow(previous: ConversationView | undefined, next: ConversationView | undefined): ConversationView | undefined {
  if (!previous || !next || previous.id !== next.id || !next.earlier) return next;
  const first = next.entries[0]?.id;
  const at = previous.entries.findIndex((e) => e.id === first);
  if (at <= 0 || (previous.earlier ?? 0) + at !== next.earlier) return next;
  const { earlier: _sent, ...rest } = next;
  const earlier = previous.earlier ?? 0;
  return { ...rest, ...(earlier > 0 ? { earlier } : {}), entries: [...previous.entries.slice(0, at), ...next.entries] };
}

/** The state after one host message; the same object when the message changes nothing. */
export function reduceHost(state: HostState, message: StateMessage, context: ReduceContext): HostState {
  switch (message.type) {
    case 'view/snapshot': {
      const s = message.snapshot;
      return { ...state, snapshot: s, mode: s.mode, selectedModel: s.selectedModel, telemetry: s.telemetry, notices: s.notices, conversation: mergeWindow(state.conversation, s.conversation), attachments: s.attachments ?? [] };
    }
    case 'chat/conversation':
      // The open conversation's model is the composer's (picking a comparison's winner changes it).
      return { ...state, conversation: mergeWindow(state.conversation, message.conversation), selectedModel: message.conversation?.modelId || state.selectedModel };
    case 'chat/earlier': {
      const c = state.conversation;
      // Only onto the entry it was asked for: a branch switch or another conversation since makes it stale.
      if (!c || c.id !== message.conversationId || c.entries[0]?.id !== message.beforeId || message.entries.length === 0) return state;
      return { ...state, conversation: { ...c, entries: [...message.entries, ...c.entries], earlier: message.earlier } };
    }
    case 'telemetry/update':
      return { ...state, telemetry: message.telemetry };
    case 'notice/list':
      return { ...state, notices: message.notices };
    case 'archive/page':
      return {
        ...state,
        conversations: message.offset > 0 ? [...state.conversations.slice(0, message.offset), ...message.items] : message.items,
        conversationTotal: message.total,
      };
    case 'archive/results':
      // A slow answer to an older search must not replace the current one's.
      if (message.requestId === undefined || message.requestId !== context.latestSearchId) return state;
      return { ...state, searchHits: message.hits, searchError: message.error };
    case 'models/catalog':
      return { ...state, models: message.models, selectedModel: message.selected, modelsStale: message.stale };
    case 'controls/state':
      return { ...state, controls: message };
    case 'chat/estimated':
      return {
        ...state,
        estimate: {
          promptTokens: message.promptTokens,
          varies: message.varies,
          ...(message.cost !== undefined ? { cost: message.cost } : {}),
          ...(message.provider !== undefined ? { provider: message.provider } : {}),
          ...(message.noProvider !== undefined ? { noProvider: message.noProvider } : {}),
        },
      };
    case 'chat/reveal':
    case 'attach/thumbWanted':
      return state;
    case 'attach/list':
      return { ...state, attachments: message.items };
  }
}
