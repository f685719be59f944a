/**
 * An intent context built from real parts: the engine, history store and fake
 * OpenRouter of the core chat harness, a real model catalog and endpoint cache over
 * the client, the real notice board, view sync and controls picker. Only the editor's
 * own actions (run a command, write a setting, copy, open a link, dialogs) are
 * recorded instead of performed: they are the boundary the handlers hand off to.
 */
import type { HostMessage } from '../../../src/shared/protocol';
import { systemClock } from '../../../src/extension/base/clock';
import { ModelCatalog } from '../../../src/extension/openrouter/catalog';
import { EndpointCache } from '../../../src/extension/openrouter/endpointCache';
import type { Settings } from '../../../src/extension/vscode/config';
import { ControlsPicker } from '../../../src/extension/vscode/controlsPicker';
import type { Question } from '../../../src/extension/vscode/hostDialogs';
import type { Attachments, HostActions, IntentContext, IntentServices } from '../../../src/extension/vscode/intents/context';
import { NoticeBoard } from '../../../src/extension/vscode/intents/noticeBoard';
import { ViewSync } from '../../../src/extension/vscode/intents/viewSync';
import { chatHarness, type ChatHarness } from '../core/chatHarness';
import { captureLogger, makeClient, type CapturedLogger } from '../openrouter/harness';

/** Everything a handler may touch, as the tests see it. */
export interface IntentHarness {
  chat: ChatHarness;
  ctx: IntentContext;
  /** Every message the handlers sent to the view, in order. */
  posted: HostMessage[];
  /** Every editor action the handlers asked for, as `[name, ...args]`. */
  actions: unknown[][];
  /** Every question the host asked; `answer` is what the user says next. */
  questions: Question[];
  answer: { value: boolean };
  /** What the Compare Models quick pick returns next (undefined: dismissed). */
  compareModels: { value: string[] | undefined };
  log: CapturedLogger;
  state: Map<string, unknown>;
  of<T extends HostMessage['type']>(type: T): Extract<HostMessage, { type: T }>[];
  close(): Promise<void>;
}

export const TEST_SETTINGS: Settings = {
  baseUrl: 'http://127.0.0.1',
  defaultModel: 'openai/gpt-4o-mini',
  fallbackModels: [],
  temperature: undefined,
  maxTokens: undefined,
  systemPrompt: undefined,
  budgetSession: undefined,
  budgetMonthly: undefined,
  warnAt: 0.8,
  redactPII: false,
  stallTimeoutSeconds: 60,
  circuitThreshold: 5,
  circuitRecoverySeconds: 30,
  mode: 'research',
  look: 'editor',
  showStatusBar: true,
  sendSelectionTarget: 'current',
  sendSelectionImmediately: false,
  attachmentsMaxTokens: 20_000,
  proseFont: 'editor',
  proseFontSize: 0,
};

/** No chips: the composer's attachments are the editor's (their own tests are in core/attachments). */
const noAttachments: Attachments = {
  pick: async () => ({ ok: true }),
  pasted: async () => ({ ok: true }),
  setThumb: () => false,
  remove: () => false,
  resolve: (ids) => (ids.length ? { ok: false, message: 'Those attachments are gone.' } : { ok: true, attachments: [] }),
  sent: () => undefined,
  chips: async () => [],
  totalTokens: 0,
};

export async function intentHarness(options: Parameters<typeof chatHarness>[0] = {}): Promise<IntentHarness> {
  const chat = await chatHarness(options);
  const { client } = makeClient(chat.fake);
  let cached: string | undefined;
  const catalog = new ModelCatalog({
    source: client,
    store: { read: async () => cached, write: async (text) => void (cached = text) },
    clock: systemClock,
    logger: captureLogger(),
  });
  await catalog.get();
  const s: IntentServices = {
    history: chat.store,
    engine: chat.engine,
    catalog,
    endpoints: new EndpointCache(client),
    telemetry: chat.telemetry,
    costs: chat.costs,
    bus: chat.bus,
    recovery: undefined,
  };
  const posted: HostMessage[] = [];
  const post = async (m: HostMessage) => void posted.push(m);
  const log = captureLogger();
  const state = new Map<string, unknown>();
  const actions: unknown[][] = [];
  const record =
    (name: string) =>
    async (...args: unknown[]) =>
      void actions.push([name, ...args]);
  const host: HostActions = {
    runCommand: record('runCommand'),
    writeSetting: record('writeSetting'),
    rememberModel: record('rememberModel'),
    codeAction: record('codeAction'),
    copyText: record('copyText'),
    openLink: record('openLink'),
    openLocation: record('openLocation'),
    showMessage: (message) => void actions.push(['showMessage', message]),
    pickCompareModels: async () => {
      actions.push(['pickCompareModels']);
      return compareModels.value;
    },
  };
  const compareModels: { value: string[] | undefined } = { value: undefined };
  const questions: Question[] = [];
  const answer = { value: true };
  const settings = { read: () => TEST_SETTINGS };
  const view = new ViewSync({
    services: async () => s,
    state: { get: <T>(key: string) => state.get(key) as T | undefined, update: async (key, value) => void state.set(key, value) },
    settings,
    picker: new ControlsPicker(log),
    attachments: noAttachments,
    post,
  });
  const ctx: IntentContext = {
    s,
    settings,
    log,
    post,
    view,
    notices: new NoticeBoard(post, log),
    attachments: noAttachments,
    dialogs: {
      confirm: async (q) => {
        questions.push(q);
        return answer.value;
      },
    },
    host,
  };
  return {
    chat,
    ctx,
    posted,
    actions,
    questions,
    answer,
    compareModels,
    log,
    state,
    of: <T extends HostMessage['type']>(type: T) => posted.filter((m): m is Extract<HostMessage, { type: T }> => m.type === type),
    close: () => chat.close(),
  };
}
