/**
 * Builders for what the host sends, typed by the shared protocol so a reshaped message breaks
 * the tests' build too. Defaults describe a small, realistic session.
 */
import {
  PROTOCOL_VERSION,
  type ConversationView,
  type EntryView,
  type ModelView,
  type Telemetry,
  type ViewSnapshot,
} from '../../src/shared/protocol';

const T0 = Date.UTC(2026, 10, 25, 13, 2, 11);

export function entry(overrides: Partial<EntryView> & Pick<EntryView, 'id'>): EntryView {
  return {
    parentId: null,
    role: 'assistant',
    content: '',
    createdAt: T0,
    status: 'complete',
    branch: { index: 1, count: 1 },
    ...overrides,
  };
}

export function userEntry(id: string, content: string, overrides: Partial<EntryView> = {}): EntryView {
  return entry({ id, role: 'user', content, promptTokens: 14, ...overrides });
}

export function assistantEntry(id: string, content: string, overrides: Partial<EntryView> = {}): EntryView {
  return entry({
    id,
    role: 'assistant',
    content,
    model: 'anthropic/claude-sonnet-4',
    promptTokens: 1204,
    completionTokens: 812,
    cost: '0.0123',
    costSource: 'usage',
    latencyMs: 1900,
    ttftMs: 340,
    tokensPerSecond: 42,
    finishReason: 'stop',
    ...overrides,
  });
}

export function conversation(entries: EntryView[], overrides: Partial<ConversationView> = {}): ConversationView {
  return {
    id: 'c1',
    title: 'Streaming parsers',
    modelId: 'anthropic/claude-sonnet-4',
    tags: ['research'],
    totalCost: '0.0123',
    totalTokens: 2016,
    entries,
    ...overrides,
  };
}

export function telemetry(overrides: Partial<Telemetry> = {}): Telemetry {
  return {
    sessionCost: '0.4210',
    monthCost: '3.1200',
    lifetimeCost: '27.5512',
    budget: { session: '1.00', monthly: '20.00', warnAtBasisPoints: 8000 },
    tokensIn: 48_213,
    tokensOut: 9_877,
    context: { used: 34_112, reserve: 4096, limit: 200_000 },
    lastTtftMs: 340,
    lastTokensPerSecond: 42.4,
    recentCosts: ['0.0012', '0.0031', '0.0123', '0.0008', '0.0210', '0.0044', '0.0123', '0.0301', '0.0067', '0.0123'],
    circuit: 'closed',
    keyBalance: { remaining: '4.20', usage: '5.80' },
    ...overrides,
  };
}

export function snapshot(overrides: Partial<ViewSnapshot> = {}): ViewSnapshot {
  return {
    protocolVersion: PROTOCOL_VERSION,
    extensionVersion: '0.1.0',
    hasApiKey: true,
    endpointHost: 'openrouter.ai',
    isDemoEndpoint: false,
    look: 'editor',
    mode: 'research',
    placement: 'sidebar',
    selectedModel: 'anthropic/claude-sonnet-4',
    telemetry: telemetry(),
    notices: [],
    ...overrides,
  };
}

export function model(id: string, overrides: Partial<ModelView> = {}): ModelView {
  return {
    id,
    name: id,
    contextLength: 128_000,
    prompt: { kind: 'fixed', perMillion: '1.00' },
    completion: { kind: 'fixed', perMillion: '4.00' },
    free: false,
    reasoning: false,
    ...overrides,
  };
}

/** A realistic exchange with markdown, code and a branch, for screenshots and a11y checks. */
export function richConversation(): ConversationView {
  return conversation([
    userEntry('u1', 'How do I parse server-sent events incrementally in TypeScript without buffering the whole body?', { createdAt: T0 }),
    assistantEntry(
      'a1',
      [
        'Read the body as a stream and split on **blank lines** — each event ends with `\\n\\n`.',
        '',
        '1. Decode bytes with a streaming `TextDecoder` so split UTF-8 sequences survive.',
        '2. Keep the unfinished tail between chunks.',
        '3. Parse `data:` lines; ignore comments that start with `:`.',
        '',
        '```ts',
        'const decoder = new TextDecoder();',
        "let tail = '';",
        'for await (const chunk of body) {',
        '  tail += decoder.decode(chunk, { stream: true });',
        "  const events = tail.split('\\n\\n');",
        '  tail = events.pop() ?? \'\'; // keep the open event',
        '  for (const e of events) handle(e);',
        '}',
        '```',
        '',
        'See the [WHATWG spec](https://html.spec.whatwg.org/multipage/server-sent-events.html) for the field rules.',
      ].join('\n'),
      { createdAt: T0 + 2_000, branch: { index: 2, count: 3, prevId: 'a1-prev', nextId: 'a1-next' }, parentId: 'u1' },
    ),
    userEntry('u2', 'And with CRLF line endings?', { createdAt: T0 + 60_000, parentId: 'a1' }),
    assistantEntry('a2', 'Normalise `\\r\\n` and lone `\\r` to `\\n` **before** splitting; a chunk may end between `\\r` and `\\n`, so hold a trailing `\\r` back.', {
      createdAt: T0 + 62_000,
      parentId: 'u2',
      cost: '0.0041',
      costSource: 'estimate',
      completionTokens: 96,
      promptTokens: 2100,
      latencyMs: 1200,
      ttftMs: 410,
      tokensPerSecond: 38,
    }),
  ]);
}
