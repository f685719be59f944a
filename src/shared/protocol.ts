/**
 * Every message between the extension host and the webview, as zod schemas.
 * Both sides import this file: types and run-time checks come from one declaration,
 * so a renamed or reshaped message breaks the build, not the user.
 * Receivers validate with `parseHostMessage` / `parseWebviewMessage` and drop
 * (and log) anything that does not parse — except the per-token `stream` message,
 * which is checked with a cheap shape test (`isStreamDelta`) on the hot path.
 * Money crosses as exact decimal strings ("0.0123"), never as numbers.
 * No `vscode` import, no DOM use.
 */
// zod/mini: the same validation with a tree-shakable API; the classic build adds ~450 KB to the webview.
import * as z from 'zod/mini';

/** Bumped when a message changes shape incompatibly; the webview asks to reload on mismatch. */
export const PROTOCOL_VERSION = 2;

const Id = z.string().check(z.minLength(1), z.maxLength(200));
/** Exact USD as a decimal string. */
const Money = z.string().check(z.regex(/^-?\d+(\.\d+)?$/));
const Count = z.int().check(z.nonnegative());
const Millis = z.number().check(z.nonnegative());

export const Look = z.enum(['editor', 'phosphor']);
export type Look = z.infer<typeof Look>;
export const Mode = z.enum(['compact', 'research', 'zen']);
export type Mode = z.infer<typeof Mode>;

// ── shared views ──────────────────────────────────────────────────────────────

export const CostSource = z.enum(['usage', 'generation', 'estimate']);
export type CostSource = z.infer<typeof CostSource>;

export const EntryStatus = z.enum(['streaming', 'complete', 'partial', 'failed']);
export type EntryStatus = z.infer<typeof EntryStatus>;

/** A user-facing problem, with the action that fixes it when there is one. */
export const NoticeAction = z.enum([
  'retry',
  'setApiKey',
  'summarize',
  'switchModel',
  'lowerMaxTokens',
  'overrideBudget',
  'cancel',
  'showLogs',
]);
export type NoticeAction = z.infer<typeof NoticeAction>;

export const Notice = z.object({
  id: Id,
  severity: z.enum(['info', 'warning', 'error']),
  /** Machine kind (e.g. "rate_limited", "context_length"), for styling and tests. */
  kind: z.string().check(z.maxLength(60)),
  message: z.string().check(z.maxLength(2000)),
  conversationId: z.optional(Id),
  messageId: z.optional(Id),
  actions: z.optional(z.array(z.object({ action: NoticeAction, label: z.string(), arg: z.optional(z.string()) }))),
  /** Epoch ms when an automatic retry happens (429 cooldown); the UI counts down. */
  retryAt: z.optional(z.number()),
});
export type Notice = z.infer<typeof Notice>;

/** One log entry of the transcript: a message on the active branch. */
export const EntryView = z.object({
  id: Id,
  parentId: z.nullable(Id),
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string(),
  reasoning: z.optional(z.string()),
  createdAt: z.number(),
  model: z.optional(z.string()),
  promptTokens: z.optional(Count),
  completionTokens: z.optional(Count),
  reasoningTokens: z.optional(Count),
  cachedTokens: z.optional(Count),
  cost: z.optional(Money),
  costSource: z.optional(CostSource),
  latencyMs: z.optional(Millis),
  ttftMs: z.optional(Millis),
  tokensPerSecond: z.optional(z.number()),
  status: EntryStatus,
  finishReason: z.optional(z.string()),
  error: z.optional(z.object({ kind: z.string(), message: z.string() })),
  /** Position among siblings (regenerate/edit branches): 1-based index and count. */
  branch: z.object({ index: z.int(), count: z.int(), prevId: z.optional(Id), nextId: z.optional(Id) }),
  /** What the PII guard redacted (outgoing) or found (incoming), by kind. */
  pii: z.optional(z.record(z.string(), z.int())),
  /** The provider that served the reply (OpenRouter routes one model to several). */
  provider: z.optional(z.string().check(z.maxLength(200))),
  /** BYOK replies: OpenRouter's fee and the provider's own charge; `cost` is their sum. */
  billing: z.optional(z.object({ fee: Money, upstream: Money })),
  /** Prompt-cache reads and writes of this reply and what they saved (negative: cost more). */
  cache: z.optional(z.object({ readTokens: Count, writeTokens: Count, saving: Money })),
  /** Web search citations, shown as links under the reply. */
  citations: z.optional(
    z.array(z.object({ url: z.string().check(z.maxLength(2000)), title: z.optional(z.string().check(z.maxLength(500))) })).check(z.maxLength(50)),
  ),
  /** The request controls this reply was sent with, in words ("sort price · web · effort high"). */
  controls: z.optional(z.string().check(z.maxLength(300))),
});
export type EntryView = z.infer<typeof EntryView>;

export const ConversationView = z.object({
  id: Id,
  title: z.string(),
  modelId: z.string(),
  systemPrompt: z.optional(z.string()),
  tags: z.array(z.string()),
  parentConversationId: z.optional(Id),
  forkedFromMessageId: z.optional(Id),
  totalCost: Money,
  totalTokens: Count,
  entries: z.array(EntryView),
  /** Id of the assistant entry currently streaming, if any. */
  streamingId: z.optional(Id),
  /** What prompt caching saved over the replies shown (exact; negative when writes cost more). */
  cacheSaving: z.optional(Money),
});
export type ConversationView = z.infer<typeof ConversationView>;

export const ConversationSummary = z.object({
  id: Id,
  title: z.string(),
  modelId: z.string(),
  updatedAt: z.number(),
  totalCost: Money,
  messageCount: Count,
  archived: z.boolean(),
  tags: z.array(z.string()),
  parentConversationId: z.optional(Id),
});
export type ConversationSummary = z.infer<typeof ConversationSummary>;

/** A price per million tokens, or why there is none. */
export const PriceView = z.union([z.object({ kind: z.literal('fixed'), perMillion: Money }), z.object({ kind: z.literal('variable') })]);
export type PriceView = z.infer<typeof PriceView>;

export const ModelView = z.object({
  id: z.string(),
  name: z.string(),
  contextLength: Count,
  maxCompletionTokens: z.optional(Count),
  prompt: PriceView,
  completion: PriceView,
  free: z.boolean(),
  reasoning: z.boolean(),
});
export type ModelView = z.infer<typeof ModelView>;

export const SearchHit = z.object({
  conversationId: Id,
  messageId: z.optional(Id),
  title: z.string(),
  /** Plain text; `highlights` are [start, end) ranges into it (never HTML). */
  snippet: z.string(),
  highlights: z.array(z.tuple([z.int(), z.int()])),
  updatedAt: z.number(),
});
export type SearchHit = z.infer<typeof SearchHit>;

export const Telemetry = z.object({
  sessionCost: Money,
  monthCost: Money,
  lifetimeCost: Money,
  budget: z.object({
    session: z.optional(Money),
    monthly: z.optional(Money),
    warnAtBasisPoints: z.int(),
  }),
  tokensIn: Count,
  tokensOut: Count,
  context: z.optional(z.object({ used: Count, reserve: Count, limit: Count })),
  lastTtftMs: z.optional(Millis),
  lastTokensPerSecond: z.optional(z.number()),
  /** Costs of recent replies, oldest first, for the sparkline. */
  recentCosts: z.array(Money),
  circuit: z.enum(['closed', 'open', 'half-open']),
  keyBalance: z.optional(z.object({ remaining: z.optional(Money), usage: Money })),
});
export type Telemetry = z.infer<typeof Telemetry>;

/** What the webview needs to render after (re)loading: the host is the source of truth. */
export const ViewSnapshot = z.object({
  protocolVersion: z.literal(PROTOCOL_VERSION),
  extensionVersion: z.string(),
  hasApiKey: z.boolean(),
  /** Host name of the endpoint in use (never a key or a URL with credentials). */
  endpointHost: z.string(),
  /** True when the endpoint is on this machine (the offline demo server, a local proxy). */
  isDemoEndpoint: z.boolean(),
  look: Look,
  mode: Mode,
  /** Where the view lives: the narrow sidebar or a wide editor tab. */
  placement: z.enum(['sidebar', 'editor']),
  selectedModel: z.string(),
  conversation: z.optional(ConversationView),
  telemetry: z.optional(Telemetry),
  notices: z.array(Notice),
});
export type ViewSnapshot = z.infer<typeof ViewSnapshot>;

/** The composer picker's OpenRouter controls (the host validates them again with its own schema). */
const Slug = z.string().check(z.minLength(1), z.maxLength(100));
export const ControlsView = z.object({
  routing: z.optional(
    z.object({
      sort: z.optional(z.enum(['price', 'throughput', 'latency'])),
      order: z.optional(z.array(Slug).check(z.maxLength(20))),
      only: z.optional(z.array(Slug).check(z.maxLength(20))),
      ignore: z.optional(z.array(Slug).check(z.maxLength(20))),
      allowFallbacks: z.optional(z.boolean()),
      denyDataCollection: z.optional(z.boolean()),
      zdr: z.optional(z.boolean()),
      maxPrice: z.optional(z.object({ prompt: z.optional(Money), completion: z.optional(Money) })),
    }),
  ),
  reasoning: z.optional(
    z.object({ effort: z.optional(z.enum(['none', 'low', 'medium', 'high'])), maxTokens: z.optional(z.int().check(z.gte(1), z.lte(1_000_000))) }),
  ),
  webSearch: z.optional(z.boolean()),
});
export type ControlsView = z.infer<typeof ControlsView>;

/** One provider behind a model, from OpenRouter's endpoints API. */
export const ProviderView = z.object({
  name: z.string().check(z.maxLength(200)),
  tag: Slug,
  prompt: PriceView,
  completion: PriceView,
});
export type ProviderView = z.infer<typeof ProviderView>;

// ── webview → host ────────────────────────────────────────────────────────────

const Text = z.string().check(z.maxLength(1_000_000));

export const WebviewMessage = z.discriminatedUnion('type', [
  /** The page's script has loaded and can receive messages; the host answers with a snapshot. */
  z.object({ type: z.literal('ready'), protocolVersion: z.int() }),
  /** The user asked to run one of the extension's commands from the view. */
  z.object({
    type: z.literal('runCommand'),
    command: z.enum(['setApiKey', 'showLogs', 'selectModel', 'newConversation', 'openInEditor', 'searchHistory']),
  }),
  /** The webview reports a problem of its own (e.g. a host message it dropped). */
  z.object({
    type: z.literal('webviewLog'),
    level: z.enum(['info', 'warn', 'error']),
    message: z.string().check(z.maxLength(2000)),
  }),
  z.object({
    type: z.literal('send'),
    text: Text,
    conversationId: z.optional(Id),
    controls: z.optional(ControlsView),
  }),
  z.object({ type: z.literal('cancel'), conversationId: Id }),
  z.object({ type: z.literal('retry'), messageId: Id }),
  z.object({ type: z.literal('regenerate'), messageId: Id }),
  z.object({ type: z.literal('editAndResend'), messageId: Id, text: Text }),
  z.object({ type: z.literal('switchBranch'), messageId: Id }),
  z.object({ type: z.literal('fork'), messageId: Id }),
  z.object({ type: z.literal('summarize'), conversationId: Id }),
  /** `arg` is informational: the host uses the argument of the action it offered, never this one. */
  z.object({ type: z.literal('noticeAction'), noticeId: Id, action: NoticeAction, arg: z.optional(z.string()) }),
  z.object({ type: z.literal('dismissNotice'), noticeId: Id }),
  z.object({ type: z.literal('openConversation'), conversationId: Id, messageId: z.optional(Id) }),
  z.object({
    type: z.literal('listConversations'),
    archived: z.optional(z.boolean()),
    tag: z.optional(z.string()),
    offset: z.optional(Count),
  }),
  z.object({ type: z.literal('search'), query: z.string().check(z.maxLength(500)), tag: z.optional(z.string()) }),
  z.object({ type: z.literal('renameConversation'), conversationId: Id, title: z.string().check(z.maxLength(200)) }),
  z.object({ type: z.literal('tagConversation'), conversationId: Id, tags: z.array(z.string().check(z.maxLength(40))) }),
  z.object({ type: z.literal('archiveConversation'), conversationId: Id, archived: z.boolean() }),
  /** The host always asks in its own dialog before deleting: the view cannot confirm for the user. */
  z.object({ type: z.literal('deleteConversation'), conversationId: Id }),
  z.object({ type: z.literal('listModels') }),
  z.object({ type: z.literal('selectModel'), modelId: z.string().check(z.minLength(1), z.maxLength(200)) }),
  z.object({ type: z.literal('estimate'), text: Text, controls: z.optional(ControlsView) }),
  z.object({
    type: z.literal('codeAction'),
    action: z.enum(['copy', 'insert', 'newFile']),
    code: Text,
    language: z.optional(z.string().check(z.maxLength(40))),
  }),
  z.object({ type: z.literal('copyText'), text: Text }),
  /** A link in model output: the host confirms with the user before opening it (and shows over-long ones as text). */
  z.object({ type: z.literal('openLink'), url: Text }),
  z.object({ type: z.literal('setMode'), mode: Mode }),
]);
export type WebviewMessage = z.infer<typeof WebviewMessage>;

// ── host → webview ────────────────────────────────────────────────────────────

/** Tokens of one streaming reply, coalesced by the host (sent many times per second). */
export interface StreamDelta {
  type: 'stream';
  conversationId: string;
  messageId: string;
  content: string;
  reasoning: string;
}

export const HostMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('snapshot'), snapshot: ViewSnapshot }),
  /** The active conversation changed (new entries, finished stream, branch switch). */
  z.object({ type: z.literal('conversation'), conversation: z.optional(ConversationView) }),
  z.object({ type: z.literal('telemetry'), telemetry: Telemetry }),
  z.object({ type: z.literal('notices'), notices: z.array(Notice) }),
  z.object({
    type: z.literal('conversations'),
    items: z.array(ConversationSummary),
    total: Count,
    offset: Count,
  }),
  z.object({ type: z.literal('searchResults'), query: z.string(), hits: z.array(SearchHit), error: z.optional(z.string()) }),
  z.object({ type: z.literal('models'), models: z.array(ModelView), selected: z.string(), stale: z.boolean() }),
  z.object({
    type: z.literal('estimate'),
    promptTokens: Count,
    cost: z.optional(Money),
    /** True when the price varies (router models): no number can be promised. */
    varies: z.boolean(),
  }),
  /** Scroll to and highlight a message (search result, fork source). */
  z.object({ type: z.literal('reveal'), messageId: Id }),
  /** The picker's state for the open conversation and model: current controls, reasoning support, providers. */
  z.object({
    type: z.literal('controls'),
    modelId: z.string(),
    current: ControlsView,
    reasoning: z.optional(z.object({ efforts: z.array(z.enum(['none', 'low', 'medium', 'high'])), maxTokens: z.optional(Count) })),
    providers: z.array(ProviderView).check(z.maxLength(100)),
  }),
]);
export type HostMessage = z.infer<typeof HostMessage> | StreamDelta;

export type ParseResult<T> = { ok: true; message: T } | { ok: false; error: string };

function parseWith<T>(schema: z.ZodMiniType<T>, raw: unknown): ParseResult<T> {
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, message: result.data };
  // Summarise without echoing the payload: it may be large or hostile.
  const error = result.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
  return { ok: false, error };
}

export function parseWebviewMessage(raw: unknown): ParseResult<WebviewMessage> {
  return parseWith(WebviewMessage, raw);
}

/**
 * The per-token hot path skips zod: a direct shape check (measured in
 * test/bench/protocol.bench.ts) — every field is still checked, only cheaper.
 */
export function isStreamDelta(raw: unknown): raw is StreamDelta {
  if (typeof raw !== 'object' || raw === null) return false;
  const m = raw as Record<string, unknown>;
  return (
    m.type === 'stream' &&
    typeof m.conversationId === 'string' &&
    typeof m.messageId === 'string' &&
    typeof m.content === 'string' &&
    typeof m.reasoning === 'string'
  );
}

export function parseHostMessage(raw: unknown): ParseResult<HostMessage> {
  if (isStreamDelta(raw)) return { ok: true, message: raw };
  return parseWith(HostMessage, raw);
}
