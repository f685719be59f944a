/**
 * Composition root: builds the parts and wires them to the editor. Nothing here has
 * logic of its own. Activation stays cheap: the history database (sql.js), the
 * catalog and the tokenizer are created on first need, not here.
 */
import * as vscode from 'vscode';
import { Redactor } from './base/redact';
import { PROTOCOL_VERSION } from '../shared/protocol';
import { ExtensionLog } from './vscode/log';
import { ApiKeyStore, MANAGEMENT_KEY_SLOT } from './vscode/secrets';
import { SettingsReader, affectsUs } from './vscode/config';
import { ChatViewProvider, CHAT_PANEL_TYPE, CHAT_VIEW_ID } from './vscode/chatViewProvider';
import { ChatController } from './vscode/chatController';
import { TerminalRecorder } from './vscode/attachments/terminalSource';
import { createChatServices, type ChatServices } from './vscode/chatServices';
import { clearApiKey, clearManagementKey, setApiKey, setManagementKey, showLogs } from './vscode/commands';
import { AccountApi } from './openrouter/account';
import { forkConversation, newConversation, searchHistory, selectModel, sendSelection, toggleMode, type ChatCommandDeps } from './vscode/chatCommands';
import { exportAll, exportConversation, importHistory, MARKDOWN_SCHEME, openAsMarkdown, TranscriptProvider } from './vscode/historyCommands';
import { SpendStatusBar } from './vscode/statusBar';
import { UsageReportPanel } from './vscode/usageReport';
import { diagnose, DiagnosticsDocument, DIAGNOSTICS_SCHEME } from './vscode/diagnose';
import { compareModels, REPLAY_DIFF_SCHEME, ReplayDiffDocument, replayBranchCommand, showReplayDiff } from './vscode/compareCommands';
import { createTestApi, type TestApi } from './vscode/testApi';
import { HostDialogs } from './vscode/hostDialogs';
import { publicArgs } from './vscode/commandArgs';
import { isLoopbackHost } from './core/settingsPolicy';
import { WorkspaceSettingsGuard } from './vscode/workspaceSettings';

/** How long after a view's handshake the tokenizer is built: after its first paint, off the critical path. */
const WARM_TOKENIZER_AFTER_MS = 1500;

export interface NeuralTerminalApi {
  /** Hooks for the integration tests that run inside the extension host. */
  readonly test: TestApi;
}

export async function activate(context: vscode.ExtensionContext): Promise<NeuralTerminalApi> {
  const started = performance.now();
  const redactor = new Redactor();
  const log = new ExtensionLog(redactor);
  const keys = new ApiKeyStore(context.secrets, redactor, log);
  const managementKeys = new ApiKeyStore(context.secrets, redactor, log, MANAGEMENT_KEY_SLOT);
  const settings = new SettingsReader(log);
  const version = String(context.extension.packageJSON.version ?? '0.0.0');
  const statusBar = new SpendStatusBar(settings);
  const dialogs = new HostDialogs();
  const workspaceSettings = new WorkspaceSettingsGuard(log);

  let services: Promise<ChatServices> | undefined;
  const getServices = (): Promise<ChatServices> => {
    services ??= createChatServices({
      context,
      log,
      keys,
      managementKeys,
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
  // Shell integration hands out a command's output only while it runs: record from activation on.
  const terminals = new TerminalRecorder();
  context.subscriptions.push(terminals);
  const controller: ChatController = new ChatController({
    terminals,
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
        isDemoEndpoint: isLoopbackHost(host),
        look: s.look,
        mode: s.mode,
        prose: { font: s.proseFont, size: s.proseFontSize },
        placement,
      };
    },
    runCommand: (command, ...args) => vscode.commands.executeCommand(command, ...args),
    dialogs,
  });
  // Once a view has painted, while the user writes: the first send then finds the tokenizer built.
  let warmTimer: ReturnType<typeof setTimeout> | undefined;
  context.subscriptions.push(
    chatView.onDidBecomeReady(() => {
      clearTimeout(warmTimer);
      const warm = () => controller.warmTokenizer().catch((e: unknown) => log.warn(`Tokenizer warm-up failed: ${String(e)}`));
      warmTimer = setTimeout(() => void warm(), WARM_TOKENIZER_AFTER_MS);
    }),
    { dispose: () => clearTimeout(warmTimer) },
  );
  const commandDeps: ChatCommandDeps = { controller, services: getServices, view: chatView, settings, state: context.globalState };
  const usage = new UsageReportPanel(context.extensionUri, getServices, settings);
  const transcripts = new TranscriptProvider(commandDeps);
  const diagnostics = new DiagnosticsDocument();
  const validateKey = async (key: string) => (await getServices()).client.getKeyInfo({ apiKey: key });
  const validateManagementKey = async (key: string) => {
    const credits = await new AccountApi((await getServices()).client, async () => key).credits();
    if (!credits) throw new Error('empty management key');
    return credits;
  };

  // Every command's handler with full arguments; the registered commands pass only the
  // arguments anyone may give (commandArgs.ts), the test API passes them all.
  const handlers: Record<string, (...args: unknown[]) => unknown> = {
    setApiKey: (arg) => setApiKey(keys, validateKey, arg),
    clearApiKey: () => clearApiKey(keys),
    setManagementKey: (arg) => setManagementKey(managementKeys, validateManagementKey, arg),
    clearManagementKey: () => clearManagementKey(managementKeys),
    showLogs: () => showLogs(log),
    newConversation: () => newConversation(commandDeps),
    sendSelection: (arg) => sendSelection(commandDeps, isObject(arg) ? arg : {}),
    forkConversation: (arg) => forkConversation(commandDeps, arg),
    compareModels: (arg) => compareModels(commandDeps, isObject(arg) ? arg : {}),
    replayBranch: (arg) => replayBranchCommand(commandDeps, arg),
    showReplayDiff: (arg) => showReplayDiff(commandDeps, arg),
    selectModel: (arg) => selectModel(commandDeps, arg),
    searchHistory: (arg) => searchHistory(commandDeps, arg),
    exportConversation: (arg) => exportConversation(commandDeps, isObject(arg) ? arg : {}),
    exportAll: (arg) => exportAll(commandDeps, isObject(arg) ? arg : {}),
    importHistory: (arg) => importHistory(commandDeps, arg),
    openAsMarkdown: (arg) => openAsMarkdown(commandDeps, arg),
    openInEditor: () => chatView.openPanel(),
    toggleMode: () => toggleMode(commandDeps),
    showUsage: () => usage.show(),
    exportUsageCsv: (arg) => usage.exportCsv(arg instanceof vscode.Uri ? arg : undefined),
    diagnose: (arg) => diagnose({ services: getServices, keys, settings, log, document: diagnostics, show: !(isObject(arg) && arg.show === false) }),
  };
  const runWithAllArgs = (id: string, ...args: unknown[]): unknown => {
    const handler = handlers[id];
    if (!handler) throw new Error(`No command neuralTerminal.${id}`);
    return handler(...args);
  };
  context.subscriptions.push(
    log,
    keys,
    managementKeys,
    chatView,
    controller,
    statusBar,
    usage,
    transcripts,
    diagnostics,
    vscode.workspace.registerTextDocumentContentProvider(DIAGNOSTICS_SCHEME, diagnostics),
    vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, chatView),
    vscode.workspace.registerTextDocumentContentProvider(MARKDOWN_SCHEME, transcripts),
    vscode.workspace.registerTextDocumentContentProvider(REPLAY_DIFF_SCHEME, new ReplayDiffDocument(commandDeps)),
    ...Object.entries(handlers).map(([id, run]) =>
      vscode.commands.registerCommand(`neuralTerminal.${id}`, (...args: unknown[]) => run(...publicArgs(id, args))),
    ),
    vscode.window.registerWebviewPanelSerializer(CHAT_PANEL_TYPE, {
      deserializeWebviewPanel: async (panel) => chatView.adoptPanel(panel),
    }),
    keys.onDidChange(() => {
      // A new key may see other models (and the first run's load may have failed): load the list again.
      if (services) void services.then((s) => s.catalogLoader.reload()).catch(() => undefined);
      void statusBar.refreshKey(true);
      void chatView.refresh();
    }),
    // Another window may have written the shared history file: merge it in when we regain focus.
    vscode.window.onDidChangeWindowState((state) => {
      if (state.focused && services) {
        void services.then((s) => s.history.refreshFromDisk()).catch((error: unknown) => log.warn(`History refresh failed: ${String(error)}`));
      }
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => void workspaceSettings.check()),
    workspaceSettings.watch(),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!affectsUs(e)) return;
      void workspaceSettings.check();
      if (services) void services.then((s) => s.applySettings(settings.read()));
      statusBar.render();
      void chatView.refresh();
    }),
    { dispose: () => void services?.then((s) => s.dispose()) },
  );

  // The welcome view waits on the context key; activation does not wait on SecretStorage.
  void keys.refresh();
  void managementKeys.refresh();
  void workspaceSettings.check();
  const activationMs = performance.now() - started;
  log.info(`Neural Terminal ${version} activated in ${activationMs.toFixed(1)} ms.`);
  const test = createTestApi({ chatView, keys, log, activationMs, services: getServices, controller, statusBar, settings, dialogs, runWithAllArgs, workspaceSettings });
  // The test API can answer dialogs and pass arguments that skip them: an installed
  // (production) extension never hands it to other extensions.
  if (context.extensionMode === vscode.ExtensionMode.Production) {
    return {
      get test(): TestApi {
        throw new Error('The Neural Terminal test API exists only in development and test mode.');
      },
    };
  }
  return { test };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}

function isObject(value: unknown): value is Record<string, never> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof vscode.Uri);
}
