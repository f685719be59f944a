/**
 * Shared set-up for the OpenRouter client tests: a client wired to the fake
 * server over real sockets (real global fetch), a logger that keeps every line,
 * and a helper that drains a stream into its events and its error.
 */
import { OpenRouterClient } from '../../../src/extension/openrouter/client';
import { systemClock, type Clock } from '../../../src/extension/base/clock';
import { isOpenRouterError, type OpenRouterError } from '../../../src/extension/openrouter/errors';
import type { Logger } from '../../../src/extension/base/logger';
import type { ChatRequest, ChatStreamEvent, OpenRouterClientDeps } from '../../../src/extension/openrouter/types';
import type { FakeServer } from '../../fixtures/fakeOpenRouter';

/** Shaped like a real key so the generic key-shaped scrubbing is exercised too. */
export const TEST_KEY = `sk-or-v1-${'0123456789abcdef'.repeat(4)}`;

export interface CapturedLogger extends Logger {
  readonly lines: string[];
}

export function captureLogger(): CapturedLogger {
  const lines: string[] = [];
  const push = (level: string) => (message: string) => {
    lines.push(`${level} ${message}`);
  };
  return { lines, trace: push('trace'), debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') };
}

export interface TestClient {
  readonly client: OpenRouterClient;
  readonly logger: CapturedLogger;
}

/** Small delays so retries over real sockets take milliseconds, not seconds. */
export function makeClient(fake: FakeServer, overrides: Partial<OpenRouterClientDeps> = {}, clock: Clock = systemClock): TestClient {
  const logger = captureLogger();
  const client = new OpenRouterClient({
    baseUrl: () => fake.url,
    apiKey: async () => TEST_KEY,
    fetch: (url, init) => fetch(url, init),
    clock,
    logger,
    random: () => 0.5,
    app: { referer: 'https://example.invalid/neural-terminal', title: 'Neural Terminal tests' },
    timeouts: { connectMs: 5_000, stallMs: 5_000, requestMs: 5_000 },
    retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 40, maxTotalMs: 5_000, retryAfterJitterMs: 10 },
    circuit: { failureThreshold: 50, cooldownMs: 30_000 },
    generationLookup: { maxAttempts: 5, initialDelayMs: 10, maxDelayMs: 40 },
    ...overrides,
  });
  return { client, logger };
}

export function userRequest(text: string, extra: Partial<ChatRequest> = {}): ChatRequest {
  return { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: text }], ...extra };
}

export interface Drained {
  readonly events: ChatStreamEvent[];
  readonly error: OpenRouterError | undefined;
  readonly content: string;
  readonly reasoning: string;
}

/** Reads a stream to its end; an `OpenRouterError` is captured, anything else fails the test. */
export async function drain(stream: AsyncIterable<ChatStreamEvent>, onEvent?: (e: ChatStreamEvent) => void): Promise<Drained> {
  const events: ChatStreamEvent[] = [];
  let error: OpenRouterError | undefined;
  try {
    for await (const event of stream) {
      events.push(event);
      onEvent?.(event);
    }
  } catch (caught) {
    if (!isOpenRouterError(caught)) throw caught;
    error = caught;
  }
  const text = (type: 'content' | 'reasoning'): string =>
    events.map((e) => (e.type === type ? e.text : '')).join('');
  return { events, error, content: text('content'), reasoning: text('reasoning') };
}

export function ofType<T extends ChatStreamEvent['type']>(events: readonly ChatStreamEvent[], type: T): Array<Extract<ChatStreamEvent, { type: T }>> {
  return events.filter((e): e is Extract<ChatStreamEvent, { type: T }> => e.type === type);
}

export function chatRequests(fake: FakeServer): FakeServer['requests'] {
  return fake.requests.filter((r) => r.path.endsWith('/chat/completions'));
}

/** Polls a condition on the event loop (for effects on the server side, e.g. a closed stream). */
export async function eventually(condition: () => boolean, what: string, limitMs = 5_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > limitMs) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
