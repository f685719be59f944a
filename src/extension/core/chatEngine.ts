/**
 * The chat engine put together: the event bus, the cost tracker, the orchestrator and the
 * session telemetry listening on the bus. The editor (vscode/chatServices.ts) and the unit
 * test harness both build it here, so the tests run the wiring the extension runs. Only
 * ports and plain values come in. No `vscode` import.
 */
import type { CircuitChange } from '../openrouter/circuitBreaker';
import type { Usd } from '../../shared/money';
import { EventBus } from '../base/events';
import type { ChatEvents } from './chatEvents';
import type { OrchestratorDeps } from './chatTypes';
import { CostTracker, type BudgetLimits } from './costTracker';
import { ChatOrchestrator } from './orchestrator';
import { SessionTelemetry } from './telemetry';

/** What the orchestrator takes, but the bus and the cost tracker, which are made here. */
export interface ChatEngineDeps extends Omit<OrchestratorDeps, 'costs' | 'bus' | 'timers'> {
  /** The client's circuit changes, forwarded to the bus (and so to the telemetry). */
  circuits?: { onChange(listener: (change: CircuitChange) => void): unknown };
  limits: BudgetLimits;
  /** What the history already recorded this month. */
  monthSpentAtStart: Usd;
  /** "2026-12": the month the monthly budget counts. */
  monthKey: () => string;
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
  const { circuits: _circuits, limits: _limits, monthSpentAtStart: _month, monthKey: _key, ...orchestrator } = deps;
  const engine = new ChatOrchestrator({ ...orchestrator, costs, bus });
  const telemetry = new SessionTelemetry();
  bus.on('message.completed', (e) => telemetry.recordCompleted(e.message, e.tokensPerSecond));
  bus.on('message.failed', (e) => telemetry.recordFailed(e.message));
  bus.on('circuit.changed', (e) => telemetry.recordCircuit(e));
  return { engine, costs, bus, telemetry };
}
