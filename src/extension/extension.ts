/**
 * Composition root: builds the parts and wires them to the editor. Nothing here has
 * logic of its own; activation stays cheap (no sql.js, no tokenizer loaded here).
 */
import * as vscode from 'vscode';
import { Redactor } from './core/redact';
import { PROTOCOL_VERSION, type ViewSnapshot } from '../shared/protocol';
import { ExtensionLog } from './vscode/log';
import { ApiKeyStore } from './vscode/secrets';
import { SettingsReader, affectsUs } from './vscode/config';
import { ChatViewProvider, CHAT_VIEW_ID } from './vscode/chatViewProvider';
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

  const snapshot = async (): Promise<ViewSnapshot> => {
    const { baseUrl, look } = settings.read();
    const host = new URL(baseUrl).host;
    return {
      protocolVersion: PROTOCOL_VERSION,
      extensionVersion: version,
      hasApiKey: await keys.has(),
      endpointHost: host,
      isDemoEndpoint: isLoopback(host),
      look,
      mode: 'research',
      placement: 'sidebar',
      selectedModel: '',
      notices: [],
    };
  };

  const chatView = new ChatViewProvider({
    extensionUri: context.extensionUri,
    log,
    snapshot,
    onIntent: async (message) => {
      if (message.type === 'runCommand' && message.command in COMMANDS) {
        await vscode.commands.executeCommand(COMMANDS[message.command as keyof typeof COMMANDS]);
        return;
      }
      log.debug(`No handler yet for '${message.type}' from the webview.`);
    },
  });

  context.subscriptions.push(
    log,
    keys,
    chatView,
    vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, chatView),
    vscode.commands.registerCommand(COMMANDS.setApiKey, (arg?: unknown) => setApiKey(keys, arg)),
    vscode.commands.registerCommand(COMMANDS.clearApiKey, () => clearApiKey(keys)),
    vscode.commands.registerCommand(COMMANDS.showLogs, () => showLogs(log)),
    keys.onDidChange(() => void chatView.refresh()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (affectsUs(e)) void chatView.refresh();
    }),
  );

  await keys.refresh();
  log.info(`Neural Terminal ${version} activated in ${(performance.now() - started).toFixed(1)} ms.`);
  return { test: createTestApi({ chatView, keys, log }) };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}

function isLoopback(host: string): boolean {
  const name = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return name === 'localhost' || name === '::1' || /^127\./.test(name);
}
