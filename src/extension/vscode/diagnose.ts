/**
 * "Diagnose": one report of what usually goes wrong — endpoint reachability, key
 * validity (never the key itself), the management key's account check, catalog age, database path and size, circuit
 * states — written to the log and shown in a read-only virtual document (not an
 * Untitled file: closing it must not ask to save anything).
 */
import * as vscode from 'vscode';
import { formatBudget, formatCost, sub } from '../../shared/money';
import { isOpenRouterError } from '../openrouter/errors';
import { errorText, failureText } from '../core/failureText';
import type { ChatServices } from './chatServices';
import type { SettingsReader } from './config';
import type { ApiKeyStore } from './secrets';
import type { Logger } from '../base/logger';

export const DIAGNOSTICS_SCHEME = 'neural-terminal-diagnostics';
const DIAGNOSTICS_URI = `${DIAGNOSTICS_SCHEME}:/Neural Terminal diagnostics.md`;

/** Serves the latest report as a read-only document; a new report refreshes an open one. */
export class DiagnosticsDocument implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private report = '_Run "Neural Terminal: Diagnose" to fill this report._';

  provideTextDocumentContent(): string {
    return this.report;
  }

  async show(report: string): Promise<vscode.TextDocument> {
    this.report = report;
    const uri = vscode.Uri.parse(DIAGNOSTICS_URI);
    this.changed.fire(uri);
    const document = await vscode.workspace.openTextDocument(uri);
    if (document.languageId !== 'markdown') await vscode.languages.setTextDocumentLanguage(document, 'markdown');
    await vscode.window.showTextDocument(document, { preview: true });
    return document;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export async function diagnose(deps: {
  services: () => Promise<ChatServices>;
  keys: ApiKeyStore;
  settings: SettingsReader;
  log: Logger;
  document: DiagnosticsDocument;
  show?: boolean;
}): Promise<string> {
  const lines: string[] = ['# Neural Terminal diagnostics', ''];
  const s = await deps.services();
  const settings = deps.settings.read();
  lines.push(`- Endpoint: ${new URL(settings.baseUrl).origin}`);
  const key = await deps.keys.get();
  lines.push(`- API key: ${key ? 'stored in secret storage' : 'not set'}`);
  try {
    const info = await s.client.getKeyInfo();
    lines.push(`- Key check: valid${info.limitRemaining !== undefined ? `, ${formatBudget(info.limitRemaining)} credit left` : ''}, ${formatCost(info.usage)} used`);
  } catch (error) {
    lines.push(`- Key check: failed — ${isOpenRouterError(error) ? `${error.kind}: ${failureText(error)}` : String(error)}`);
  }
  if (await s.account.available()) {
    try {
      const credits = await s.account.credits();
      lines.push(`- Management key: stored${credits ? `, account balance ${formatBudget(sub(credits.totalCredits, credits.totalUsage))} of ${formatBudget(credits.totalCredits)}` : ''}`);
    } catch (error) {
      lines.push(`- Management key: stored, check failed — ${errorText(error)}`);
    }
  } else {
    lines.push('- Management key: not set (optional: account credits and reconciliation)');
  }
  const catalog = s.catalog.current();
  lines.push(
    catalog
      ? `- Model list: ${catalog.models.length} models from ${catalog.source}, ${Math.round((Date.now() - catalog.fetchedAt) / 60000)} min old${catalog.rejected.length ? `, ${catalog.rejected.length} malformed entries skipped` : ''}`
      : '- Model list: not loaded',
  );
  try {
    const st = await s.history.stats();
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
    const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`;
    const compacted = st.lastCompaction
      ? `${new Date(st.lastCompaction.at).toISOString()} (${st.lastCompaction.durationMs} ms)`
      : 'not since this window opened it';
    lines.push(`- History: ${st.path} — ${st.conversations} conversations, ${st.messages} messages${st.unsaved ? ', changes pending (a write failed; retrying)' : ''}`);
    lines.push(`- History engine: snapshot ${kb(st.snapshotBytes)} (generation ${st.generation}), journal ${kb(st.journalBytes)}, last compaction ${compacted}`);
    lines.push(`- History worker memory: heap ${mb(st.workerMemory.heapUsedBytes)}, database and buffers ${mb(st.workerMemory.externalBytes)}`);
  } catch (error) {
    lines.push(`- History: ${s.history.path} — engine unavailable: ${error instanceof Error ? error.message : String(error)}`);
  }
  const circuits = s.client.circuits.snapshot();
  lines.push(`- Circuits: ${circuits.length ? circuits.map((c) => `${c.key}=${c.state}`).join(', ') : 'all closed'}`);
  const report = lines.join('\n');
  deps.log.info(report.replace(/\n/g, ' | '));
  if (deps.show !== false) await deps.document.show(report);
  return report;
}
