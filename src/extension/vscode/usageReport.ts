/**
 * "Show Usage": a read-only editor tab with spend and tokens by day and model, the top
 * conversations and the month's budget burn-down, from the history database; then, once
 * OpenRouter answered, the key's limit and remaining credit and (with a management key) the
 * account's credits and the per-day reconciliation with OpenRouter's bill. The page runs no
 * script; its links (Export CSV, Set Management Key) are command URIs allowed for those only.
 */
import * as vscode from 'vscode';
import { announceExport } from './exportNotice';
import { usageCsv, type UsageReport } from '../storage';
import { usageHtml } from '../core/usageChart';
import { loadAccountSummary, type AccountSummary } from '../core/accountSummary';
import { SET_MANAGEMENT_KEY_COMMAND } from '../core/accountHtml';
import { budgetLimits } from './budgetLimits';
import type { ChatServices } from './chatServices';
import type { SettingsReader } from './config';

const DAYS = 30;
const DAY = 86_400_000;
export const EXPORT_USAGE_CSV = 'neuralTerminal.exportUsageCsv';

export class UsageReportPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  /** The last account figures, shown at once on the next render while fresh ones load. */
  private account: AccountSummary | undefined;
  private loading: Promise<void> | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly services: () => Promise<ChatServices>,
    private readonly settings: SettingsReader,
  ) {}

  async show(): Promise<vscode.WebviewPanel> {
    const s = await this.services();
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel('neuralTerminal.usage', 'Neural Terminal Usage', vscode.ViewColumn.Active, {
        enableScripts: false,
        enableCommandUris: [EXPORT_USAGE_CSV, SET_MANAGEMENT_KEY_COMMAND],
        localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media')],
      });
      this.panel.onDidDispose(() => (this.panel = undefined));
    }
    const report = await this.report(s);
    this.panel.webview.html = this.render(report, this.panel.webview);
    this.panel.reveal();
    // OpenRouter may be slow or unreachable: the ledger's figures do not wait for it.
    this.loading = this.loadAccount(s, report);
    return this.panel;
  }

  /** Resolves once the account figures of the last `show()` are on the page (tests). */
  async accountLoaded(): Promise<void> {
    await this.loading;
  }

  private async loadAccount(s: ChatServices, report: UsageReport): Promise<void> {
    this.account = await this.accountSummary(s, report);
    if (this.panel) this.panel.webview.html = this.render(report, this.panel.webview);
  }

  private accountSummary(s: ChatServices, report: UsageReport): Promise<AccountSummary> {
    return loadAccountSummary(
      { keyInfo: () => s.client.getKeyInfo(), credits: () => s.account.credits(), activity: () => s.account.activity() },
      report,
      Date.now(),
    );
  }

  /**
   * Writes the last 30 days as CSV, with the per-day reconciliation when a management key
   * lets OpenRouter's activity be read (without one, or offline, the ledger's lines alone);
   * `target` skips the save dialog (tests).
   */
  async exportCsv(target?: vscode.Uri): Promise<vscode.Uri | undefined> {
    const s = await this.services();
    const report = await this.report(s);
    const csv = usageCsv(report, (await this.accountSummary(s, report)).reconciliation?.days);
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const uri =
      target ??
      (await vscode.window.showSaveDialog({
        title: 'Export usage as CSV',
        filters: { CSV: ['csv'] },
        ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, 'neural-terminal-usage.csv') } : {}),
      }));
    if (!uri) return undefined;
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(csv));
    if (!target) void announceExport(uri);
    return uri;
  }

  dispose(): void {
    this.panel?.dispose();
  }

  private report(s: ChatServices): Promise<UsageReport> {
    const now = Date.now();
    return s.history.usage(now - (DAYS - 1) * DAY, now);
  }

  private render(report: UsageReport, webview: vscode.Webview): string {
    const now = new Date();
    const stylesheet = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'usage.css')).toString();
    return usageHtml({
      report,
      ...(this.account ? { account: this.account } : {}),
      monthly: budgetLimits(this.settings.read()).monthly,
      monthStart: `${now.toISOString().slice(0, 7)}-01`,
      csp: `default-src 'none'; style-src ${webview.cspSource}; img-src ${webview.cspSource};`,
      stylesheet,
      csvCommandUri: `command:${EXPORT_USAGE_CSV}`,
    });
  }
}
