/**
 * Composition root: builds the parts and wires them to the editor. Nothing here has
 * logic of its own. Activation stays cheap: the history database (sql.js), the
 * catalog and the tokenizer are created on first need, not here.
 */
import * as vscode from 'vscode';
import { Redactor } from './core/redact';
import { PROTOCOL_VERSION } from '../shared/protocol';
import { ExtensionLog } from './vscode/log';
import { ApiKeyStore } from './vscode/secrets';
import { SettingsReader, affectsUs } from './vscode/config';
import { ChatViewProvider, CHAT_VIEW_ID } from './vscode/chatViewProvider';
import { ChatController } from './vscode/chatController';
import { createChatServices, type ChatServices } from './vscode/chatServices';
import { COMMANDS, clearApiKey, setApiKey, showLogs } from './vscode/commands';
import { createTestApi, type TestApi } from './vscode/testApi';

export interface NeuralTerminalApi {
  /** Hooks for the integration tests that run inside the extension host. */
  readonly test: TestApi;
}

export async function activate(context: vscode.ExtensionContext): Promise<NeuralTerminalApi> {
  const started = performance.now();
  const redactor = new Redactor();
  const log = new ExtensionLog(redactor);
  const keys = new ApiKeyStore(context.secrets, redactor, log);
  const settings = new SettingsReader(log);
  const version = String(context.extension.packageJSON.version ?? '0.0.0');

  let services: Promise<ChatServices> | undefined;
  const getServices = (): Promise<ChatServices> => {
    services ??= createChatServices({
      context,
      log,
      keys,
      settings,
      onExternalHistoryChange: () => void controller.postConversation(),
      onPersistError: (message) => void vscode.window.showErrorMessage(`Neural Terminal could not save the chat history: ${message}`),
    }).catch((error: unknown) => {
      services = undefined; // let the next use try again
      throw error;
    });
    return services;
  };

  const chatView: ChatViewProvider = new ChatViewProvider({
    extensionUri: context.extensionUri,
    log,
    snapshot: () => controller.snapshot(),
    onIntent: (message) => controller.handle(message),
  });
  const controller: ChatController = new ChatController({
    services: getServices,
    settings,
    state: context.globalState,
    log,
    post: (message) => chatView.post(message),
    baseSnapshot: async () => {
      const s = settings.read();
      const host = new URL(s.baseUrl).host;
      return {
        protocolVersion: PROTOCOL_VERSION,
        extensionVersion: version,
        hasApiKey: await keys.has(),
        endpointHost: host,
        isDemoEndpoint: isLoopback(host),
        look: s.look,
        mode: s.mode,
        placement: 'sidebar',
      };
    },
    runCommand: (command, ...args) => vscode.commands.executeCommand(command, ...args),
  });

  context.subscriptions.push(
    log,
    keys,
    chatView,
    controller,
    vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, chatView),
    vscode.commands.registerCommand(COMMANDS.setApiKey, (arg?: unknown) => setApiKey(keys, arg)),
    vscode.commands.registerCommand(COMMANDS.clearApiKey, () => clearApiKey(keys)),
    vscode.commands.registerCommand(COMMANDS.showLogs, () => showLogs(log)),
    keys.onDidChange(() => void chatView.refresh()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!affectsUs(e)) return;
      if (services) void services.then((s) => s.applySettings(settings.read()));
      void chatView.refresh();
    }),
    { dispose: () => void services?.then((s) => s.dispose()) },
  );

  await keys.refresh();
  const activationMs = performance.now() - started;
  log.info(`Neural Terminal ${version} activated in ${activationMs.toFixed(1)} ms.`);
  return { test: createTestApi({ chatView, keys, log, activationMs, services: getServices, controller }) };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}

function isLoopback(host: string): boolean {
  const name = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return name === 'localhost' || name === '::1' || /^127\./.test(name);
}
