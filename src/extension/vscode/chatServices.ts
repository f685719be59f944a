/**
 * Builds the chat engine's parts for the editor: the history file under global
 * storage, the OpenRouter client reading the key from SecretStorage and settings on
 * every request, the catalog cached on disk, the token counter, the cost tracker and
 * the event bus. Created on first need, not at activation (sql.js and the catalog
 * cost tens of milliseconds).
 */
import { readControlSettings } from './controlSettings';
import * as vscode from 'vscode';
import path from 'node:path';
import type { CostTracker } from '../core/costTracker';
import { budgetLimits } from './budgetLimits';
import type { ChatEvents } from '../core/chatEvents';
import { createChatEngine } from '../core/chatEngine';
import type { EventBus } from '../base/events';
import { mapLogger, type Logger } from '../base/logger';
import { ZERO, parseUsd } from '../../shared/money';
import { DEFAULT_CHAT_SETTINGS, type ChatOrchestrator, type ChatSettings } from '../core/orchestrator';
import type { SessionTelemetry } from '../core/telemetry';
import { TokenCounter } from '../core/tokenCounter';
import { ModelCatalog } from '../openrouter/catalog';
import { OpenRouterClient } from '../openrouter/client';
import { AccountApi } from '../openrouter/account';
import { EndpointCache } from '../openrouter/endpointCache';
import { systemClock } from '../base/clock';
import { CatalogLoader } from '../openrouter/catalogLoader';
import { fileCacheStore } from '../openrouter/fileCacheStore';
import { openHistoryStore, type HistoryStore, type RecoveryNotice } from '../storage';
import { tokenizerWorker } from './encoderLoader';
import { workerEncoderLoader } from '../core/encoders/countClient';
import type { Settings, SettingsReader } from './config';
import type { ApiKeyStore } from './secrets';

export interface ChatServices {
  history: HistoryStore;
  client: OpenRouterClient;
  /** `/credits` and `/activity` with the management key (when one is set). */
  account: AccountApi;
  /** Each model's providers and their prices, fetched once per model. */
  endpoints: EndpointCache;
  catalog: ModelCatalog;
  engine: ChatOrchestrator;
  /** The engine's token counter (one copy of the encoders), also used to count attachments. */
  tokens: TokenCounter;
  costs: CostTracker;
  bus: EventBus<ChatEvents>;
  telemetry: SessionTelemetry;
  /** Set when the history file could not be read and was moved aside. */
  recovery: RecoveryNotice | undefined;
  /** Keeps the model list loaded (retries with backoff); `reload()` when the key or endpoint changes. */
  catalogLoader: CatalogLoader;
  /** Applies changed settings (budgets, stall timeout, circuit breaker, endpoint) to the running parts. */
  applySettings(settings: Settings): void;
  dispose(): Promise<void>;
}

export interface ChatServicesDeps {
  context: vscode.ExtensionContext;
  log: Logger;
  keys: ApiKeyStore;
  managementKeys: ApiKeyStore;
  settings: SettingsReader;
  onExternalHistoryChange(): void;
  onPersistError(message: string): void;
}

/** The stall timeout and circuit-breaker settings, as the client takes them (at start and on every change). */
export function networkOptions(s: Settings): { timeouts: { stallMs: number }; circuit: { failureThreshold: number; cooldownMs: number } } {
  return {
    timeouts: { stallMs: s.stallTimeoutSeconds * 1000 },
    circuit: { failureThreshold: s.circuitThreshold, cooldownMs: s.circuitRecoverySeconds * 1000 },
  };
}

export function chatSettings(s: Settings): ChatSettings {
  return {
    ...DEFAULT_CHAT_SETTINGS,
    defaultModel: s.defaultModel,
    fallbackModels: s.fallbackModels,
    temperature: s.temperature,
    maxTokens: s.maxTokens,
    systemPrompt: s.systemPrompt,
    redactPII: s.redactPII,
  };
}

export async function createChatServices(deps: ChatServicesDeps): Promise<ChatServices> {
  const { context, log } = deps;
  const storage = context.globalStorageUri.fsPath;
  const distDir = path.join(context.extensionUri.fsPath, 'dist');
  const history = await openHistoryStore({
    folder: storage,
    sqlJs: { wasmPath: path.join(distDir, 'sql-wasm.wasm') },
    // sql.js and the database live in this worker thread, never on the extension host's.
    workerPath: path.join(distDir, 'storageWorker.js'),
    logger: mapLogger(log, (line) => `history: ${line}`),
    onExternalChange: () => deps.onExternalHistoryChange(),
    onPersistError: (error) => deps.onPersistError(error.message),
  });
  const initial = deps.settings.read();
  const client = new OpenRouterClient({
    baseUrl: () => deps.settings.read().baseUrl,
    apiKey: () => deps.keys.get(),
    fetch: (url, init) => fetch(url, init),
    clock: systemClock,
    logger: log,
    random: Math.random,
    app: { referer: 'https://github.com/neural-terminal/neural-terminal', title: 'Neural Terminal' },
    ...networkOptions(initial),
  });
  const account = new AccountApi(client, () => deps.managementKeys.get());
  const endpoints = new EndpointCache(client);
  const catalog = new ModelCatalog({
    source: client,
    store: fileCacheStore(path.join(storage, 'models-cache.json')),
    clock: systemClock,
    logger: log,
  });
  // The encoders are built and run in a worker thread: building one holds a thread for 0.4–1.8 s.
  const tokenizer = tokenizerWorker(distDir, (message) => log.error(message));
  const tokens = new TokenCounter(workerEncoderLoader(tokenizer));
  const { engine, costs, bus, telemetry } = createChatEngine({
    client,
    circuits: client.circuits,
    history,
    model: (id) => catalog.current()?.byId.get(id),
    models: () => catalog.current()?.models ?? [],
    providers: (id) => endpoints.known(id),
    loadProviders: (id) => endpoints.load(id),
    tokens,
    clock: { now: () => Date.now() },
    settings: () => ({ ...chatSettings(deps.settings.read()), controls: readControlSettings(log) }),
    limits: budgetLimits(initial),
    monthSpentAtStart: await monthSpend(history),
    monthKey: () => new Date().toISOString().slice(0, 7),
    log,
  });
  // Disk first, then the network (no key needed), retried with backoff until it loads.
  const catalogLoader = new CatalogLoader(catalog, systemClock, log);
  catalogLoader.start();
  let baseUrl = initial.baseUrl;
  return {
    history,
    client,
    account,
    endpoints,
    catalog,
    engine,
    tokens,
    costs,
    bus,
    telemetry,
    recovery: history.recovery,
    catalogLoader,
    applySettings: (s) => {
      costs.setLimits(budgetLimits(s));
      client.configure(networkOptions(s));
      // Another endpoint has another model list.
      if (s.baseUrl !== baseUrl) {
        baseUrl = s.baseUrl;
        catalogLoader.reload();
      }
    },
    dispose: async () => {
      catalogLoader.dispose();
      engine.dispose();
      await tokenizer.dispose();
      await history.close();
    },
  };
}

/** What the history recorded this calendar month, summed exactly. */
async function monthSpend(history: HistoryStore) {
  const now = new Date();
  const from = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  return parseUsd(await history.spendSince(from)) ?? ZERO;
}
