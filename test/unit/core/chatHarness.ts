/**
 * A chat engine wired the way the extension wires it, with real parts only: the
 * fake OpenRouter server over real sockets, the real client, a real sql.js history
 * file in a temp folder, the real tokenizer, cost tracker and event bus.
 */
import { Tiktoken } from 'js-tiktoken/lite';
import cl100k from 'js-tiktoken/ranks/cl100k_base';
import o200k from 'js-tiktoken/ranks/o200k_base';
import { DEFAULT_CHAT_SETTINGS, type ChatOrchestrator, type ChatSettings } from '../../../src/extension/core/orchestrator';
import { createChatEngine } from '../../../src/extension/core/chatEngine';
import type { ChatEvents } from '../../../src/extension/core/chatEvents';
import type { BudgetLimits, CostTracker } from '../../../src/extension/core/costTracker';
import type { EventBus } from '../../../src/extension/base/events';
import type { SessionTelemetry } from '../../../src/extension/core/telemetry';
import { silentLogger } from '../../../src/extension/base/logger';
import { ZERO, parseUsd, sum, toDecimalString, type Usd } from '../../../src/shared/money';
import { TokenCounter } from '../../../src/extension/core/tokenCounter';
import { parseCatalog, type CatalogModel } from '../../../src/extension/openrouter/catalog';
import type { OpenRouterClientDeps } from '../../../src/extension/openrouter/types';
import type { HistoryStore } from '../../../src/extension/storage/historyStore';
import { startFakeOpenRouter, type FakeOptions, type FakeServer } from '../../fixtures/fakeOpenRouter';
import { makeClient } from '../openrouter/harness';
import { EndpointCache } from '../../../src/extension/openrouter/endpointCache';
import { cleanup as closeStores, openWorkerStore } from '../storage/helpers';

export interface Recorded {
  type: keyof ChatEvents;
  payload: ChatEvents[keyof ChatEvents];
}

export interface ChatHarness {
  fake: FakeServer;
  store: HistoryStore;
  engine: ChatOrchestrator;
  costs: CostTracker;
  bus: EventBus<ChatEvents>;
  telemetry: SessionTelemetry;
  events: Recorded[];
  settings: ChatSettings;
  models: Map<string, CatalogModel>;
  /** The models' providers, read from the fake's endpoints API as the extension reads them. */
  endpoints: EndpointCache;
  close(): Promise<void>;
}

const encoders = {
  cl100k_base: () => new Tiktoken(cl100k),
  o200k_base: () => new Tiktoken(o200k),
};

export async function chatHarness(
  options: {
    fake?: FakeOptions;
    settings?: Partial<ChatSettings>;
    limits?: Partial<BudgetLimits>;
    client?: Partial<OpenRouterClientDeps>;
    /** The engine's clock (the store and the client keep real time). */
    clock?: { now(): number };
  } = {},
): Promise<ChatHarness> {
  const fake = await startFakeOpenRouter({ latencyScale: 0.01, ...options.fake });
  const { client } = makeClient(fake, options.client);
  const catalog = parseCatalog(await client.fetchModelsText());
  const models = new Map(catalog.models.map((m) => [m.id, m]));
  const endpoints = new EndpointCache(client);
  // The production store: sql.js in its worker thread, every change journaled before it resolves.
  const store = await openWorkerStore();
  const settings: ChatSettings = {
    ...DEFAULT_CHAT_SETTINGS,
    defaultModel: 'openai/gpt-4o-mini',
    doubleSendGuardMs: 0,
    ...options.settings,
  };
  // Wired by the same function the extension uses (core/chatEngine.ts).
  const { engine, costs, bus, telemetry } = createChatEngine({
    client,
    circuits: client.circuits,
    history: store,
    model: (id) => models.get(id),
    models: () => catalog.models,
    providers: (id) => endpoints.known(id),
    loadProviders: (id) => endpoints.load(id),
    tokens: new TokenCounter(async (name) => encoders[name]()),
    clock: options.clock ?? { now: () => Date.now() },
    settings: () => settings,
    limits: { warnAtBasisPoints: 8000, ...options.limits },
    monthSpentAtStart: ZERO,
    monthKey: () => '2026-11',
    log: silentLogger,
  });
  const events: Recorded[] = [];
  bus.onAny((type, payload) => events.push({ type, payload: payload as ChatEvents[keyof ChatEvents] }));
  return {
    fake,
    store,
    engine,
    costs,
    bus,
    telemetry,
    events,
    settings,
    models,
    endpoints,
    close: async () => {
      engine.dispose();
      await engine.idle();
      await fake.close();
      await closeStores();
    },
  };
}

/**
 * What the fake server billed across every generation it produced, summed exactly:
 * OpenRouter's charge plus, on BYOK routes, the provider's upstream charge.
 */
export function serverBilled(fake: FakeServer): Usd {
  return sum(
    fake.generations().flatMap((g) => [
      parseUsd(String(g.total_cost)) ?? ZERO,
      g.upstream_inference_cost === null ? ZERO : (parseUsd(String(g.upstream_inference_cost)) ?? ZERO),
    ]),
  );
}

/** The exact sum of every conversation total in the store. */
export async function storedTotal(store: HistoryStore): Promise<string> {
  const totals: Usd[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = await store.listConversations({ limit: 500, offset, status: 'all' });
    totals.push(...page.items.map((c) => parseUsd(c.totalCostUsd) ?? ZERO));
    if (offset + 500 >= page.total) break;
  }
  return toDecimalString(sum(totals));
}

export function ofType<K extends keyof ChatEvents>(events: Recorded[], type: K): ChatEvents[K][] {
  return events.filter((e) => e.type === type).map((e) => e.payload as ChatEvents[K]);
}

/** The outcome of a send or a comparison that must have started (fails the test otherwise). */
export function started<T extends { status: string; reason?: string; message?: string }>(outcome: T): Extract<T, { status: 'started' }> {
  if (outcome.status !== 'started') throw new Error(`expected a started request, got ${outcome.reason}: ${outcome.message}`);
  return outcome as Extract<T, { status: 'started' }>;
}

/**
 * An `afterEach` body that closes the test's harness (if it opened one) and removes the
 * temp history files; `current` reads the suite's `h` at the time the hook runs.
 */
export function closeAfterEach(current: () => ChatHarness | undefined): () => Promise<void> {
  return async () => {
    await current()?.close();
    await closeStores();
  };
}
