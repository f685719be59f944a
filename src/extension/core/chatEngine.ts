/**
 * The chat engine put together: the event bus, the cost tracker, the orchestrator and the
 * session telemetry listening on the bus. The editor (vscode/chatServices.ts) and the unit
 * test harness both build it here, so the tests run the wiring the extension runs. Only
 * ports and plain values come in. No `vscode` import.
 */
import type { CatalogModel } from '../openrouter/catalog';
import type { CircuitChange } from '../openrouter/circuitBreaker';
import type { Usd } from '../../shared/money';
import type { Clock } from '../base/clock';
import { EventBus } from '../base/events';
import type { Logger } from '../base/logger';
import type { ChatEvents } from './chatEvents';
import type { ChatSettings } from './chatTypes';
import { CostTracker, type BudgetLimits } from './costTracker';
import { ChatOrchestrator } from './orchestrator';
import type { ChatClientPort, HistoryPort, TokenCounterPort } from './ports';
import { SessionTelemetry } from './telemetry';

export interface ChatEngineDeps {
  client: ChatClientPort;
  /** The client's circuit changes, forwarded to the bus (and so to the telemetry). */
  circuits?: { onChange(listener: (change: CircuitChange) => void): unknown };
  history: HistoryPort;
  model: (id: string) => CatalogModel | undefined;
  tokens: TokenCounterPort;
  clock: Pick<Clock, 'now'>;
  /** Read on every send: a changed setting applies to the next one. */
  settings: () => ChatSettings;
  limits: BudgetLimits;
  /** What the history already recorded this month. */
  monthSpentAtStart: Usd;
  /** "2026-12": the month the monthly budget counts. */
  monthKey: () => string;
  log: Logger;
}

export interface ChatEngine {
  engine: ChatOrchestrator;
  costs: CostTracker;
  bus: EventBus<ChatEvents>;
  telemetry: SessionTelemetry;
}

export function createChatEngine(deps: ChatEngineDeps): ChatEngine {
  const bus = new EventBus<ChatEvents>(deps.log);
  deps.circuits?.onChange((change) => bus.emit('circuit.changed', change));
  const costs = new CostTracker({
    limits: deps.limits,
    monthSpentAtStart: deps.monthSpentAtStart,
    monthKey: deps.monthKey,
    emit: (type, payload) => bus.emit(type, payload),
  });
  const engine = new ChatOrchestrator({
    client: deps.client,
    history: deps.history,
    model: deps.model,
    tokens: deps.tokens,
    costs,
    bus,
    clock: deps.clock,
    settings: deps.settings,
    log: deps.log,
  });
  const telemetry = new SessionTelemetry();
  bus.on('message.completed', (e) => telemetry.recordCompleted(e.message, e.tokensPerSecond));
  bus.on('message.failed', (e) => telemetry.recordFailed(e.message));
  bus.on('circuit.changed', (e) => telemetry.recordCircuit(e));
  return { engine, costs, bus, telemetry };
}
