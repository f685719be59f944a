/**
 * Composition root: builds the parts and wires them to the editor. Nothing here has
 * logic of its own. Activation stays cheap: the history database (sql.js), the
 * catalog and the tokenizer are created on first need, not here.
 */
import * as vscode from 'vscode';
import { Redactor } from './base/redact';
import { PROTOCOL_VERSION } from '../shared/protocol';
import { ExtensionLog } from './vscode/log';
import { ApiKeyStore } from './vscode/secrets';
import { SettingsReader, affectsUs } from './vscode/config';
import { ChatViewProvider, CHAT_PANEL_TYPE, CHAT_VIEW_ID } from './vscode/chatViewProvider';
import { ChatController } from './vscode/chatController';
import { createChatServices, type ChatServices } from './vscode/chatServices';
import { clearApiKey, setApiKey, showLogs } from './vscode/commands';
import { forkConversation, newConversation, searchHistory, selectModel, sendSelection, toggleMode, type ChatCommandDeps } from './vscode/chatCommands';
import { exportAll, exportConversation, importHistory, MARKDOWN_SCHEME, openAsMarkdown, TranscriptProvider } from './vscode/historyCommands';
import { SpendStatusBar } from './vscode/statusBar';
import { EXPORT_USAGE_CSV, UsageReportPanel } from './vscode/usageReport';
import { diagnose } from './vscode/diagnose';
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
  const statusBar = new SpendStatusBar(settings);

  let services: Promise<ChatServices> | undefined;
  const getServices = (): Promise<ChatServices> => {
    services ??= createChatServices({
      context,
      log,
      keys,
      settings,
      onExternalHistoryChange: () => void controller.postConversation(),
      onPersistError: (message) => void vscode.window.showErrorMessage(`Neural Terminal could not save the chat history: ${message}`),
    }).then(
      (s) => {
        statusBar.attach(s);
        return s;
      },
      (error: unknown) => {
        services = undefined; // let the next use try again
        throw error;
      },
    );
    return services;
  };

  const chatView: ChatViewProvider = new ChatViewProvider({
    extensionUri: context.extensionUri,
    log,
    snapshot: (placement) => controller.snapshot(placement),
    onIntent: (message) => controller.handle(message),
  });
  const controller: ChatController = new ChatController({
    services: getServices,
    settings,
    state: context.globalState,
    log,
    post: (message) => chatView.post(message),
    baseSnapshot: async (placement) => {
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
        placement,
      };
    },
    runCommand: (command, ...args) => vscode.commands.executeCommand(command, ...args),
  });
  const commandDeps: ChatCommandDeps = { controller, services: getServices, view: chatView, settings, state: context.globalState };
  const usage = new UsageReportPanel(context.extensionUri, getServices, settings);
  const transcripts = new TranscriptProvider(commandDeps);
  const validateKey = async (key: string) => (await getServices()).client.getKeyInfo({ apiKey: key });

  const command = (id: string, run: (...args: unknown[]) => unknown) => vscode.commands.registerCommand(`neuralTerminal.${id}`, run);
  context.subscriptions.push(
    log,
    keys,
    chatView,
    controller,
    statusBar,
    usage,
    transcripts,
    vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, chatView),
    vscode.workspace.registerTextDocumentContentProvider(MARKDOWN_SCHEME, transcripts),
    command('setApiKey', (arg) => setApiKey(keys, validateKey, arg)),
    command('clearApiKey', () => clearApiKey(keys)),
    command('showLogs', () => showLogs(log)),
    command('newConversation', () => newConversation(commandDeps)),
    command('sendSelection', (arg) => sendSelection(commandDeps, isObject(arg) ? arg : {})),
    command('forkConversation', (arg) => forkConversation(commandDeps, arg)),
    command('selectModel', (arg) => selectModel(commandDeps, arg)),
    command('searchHistory', (arg) => searchHistory(commandDeps, arg)),
    command('exportConversation', (arg) => exportConversation(commandDeps, isObject(arg) ? arg : {})),
    command('exportAll', (arg) => exportAll(commandDeps, isObject(arg) ? arg : {})),
    command('importHistory', (arg) => importHistory(commandDeps, arg)),
    command('openAsMarkdown', (arg) => openAsMarkdown(commandDeps, arg)),
    command('openInEditor', () => chatView.openPanel()),
    command('toggleMode', () => toggleMode(commandDeps)),
    command('showUsage', () => usage.show()),
    vscode.commands.registerCommand(EXPORT_USAGE_CSV, (arg?: unknown) => usage.exportCsv(arg instanceof vscode.Uri ? arg : undefined)),
    command('diagnose', (arg) => diagnose({ services: getServices, keys, settings, log, show: !(isObject(arg) && arg.show === false) })),
    vscode.window.registerWebviewPanelSerializer(CHAT_PANEL_TYPE, {
      deserializeWebviewPanel: async (panel) => chatView.adoptPanel(panel),
    }),
    keys.onDidChange(() => void chatView.refresh()),
    // Another window may have written the shared history file: merge it in when we regain focus.
    vscode.window.onDidChangeWindowState((state) => {
      if (state.focused && services) {
        void services.then((s) => s.history.refreshFromDisk()).catch((error: unknown) => log.warn(`History refresh failed: ${String(error)}`));
      }
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!affectsUs(e)) return;
      if (services) void services.then((s) => s.applySettings(settings.read()));
      statusBar.render();
      void chatView.refresh();
    }),
    { dispose: () => void services?.then((s) => s.dispose()) },
  );

  // The welcome view waits on the context key; activation does not wait on SecretStorage.
  void keys.refresh();
  const activationMs = performance.now() - started;
  log.info(`Neural Terminal ${version} activated in ${activationMs.toFixed(1)} ms.`);
  return {
    test: createTestApi({ chatView, keys, log, activationMs, services: getServices, controller, statusBar, settings }),
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}

function isLoopback(host: string): boolean {
  const name = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return name === 'localhost' || name === '::1' || /^127\./.test(name);
}

function isObject(value: unknown): value is Record<string, never> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof vscode.Uri);
}
