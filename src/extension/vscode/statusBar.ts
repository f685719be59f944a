/**
 * Session spend in the status bar: `$(pulse) $0.0123 / $5.00`, a spinner while a reply
 * streams, the warning background from 80% of the budget and the error background at
 * 100%. The tooltip adds the key's limit, usage and remaining credit from `/key`, read in
 * the background after activation and after replies (at most once a minute).
 * Click → Show Usage. Hidden by `neuralTerminal.ui.showStatusBar`.
 */
import * as vscode from 'vscode';
import type { ChatServices } from './chatServices';
import { budgetLimits } from './budgetLimits';
import type { SettingsReader } from './config';
import { formatBudget, formatCost, ratioBasisPoints, ZERO } from '../../shared/money';
import type { KeyInfo } from '../openrouter/types';

/** Reads of `/key` for the tooltip are at least this far apart. */
const KEY_REFRESH_MS = 60_000;

export class SpendStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('neuralTerminal.spend', vscode.StatusBarAlignment.Right, 100);
  private streaming = 0;
  private services: ChatServices | undefined;
  private readonly offs: Array<() => void> = [];
  private key: KeyInfo | undefined;
  private keyReadAt = Number.NEGATIVE_INFINITY;
  private keyReading: Promise<void> | undefined;

  constructor(private readonly settings: SettingsReader) {
    this.item.name = 'Neural Terminal Spend';
    this.item.command = 'neuralTerminal.showUsage';
    this.render();
  }

  /** Starts following the chat engine once it exists. */
  attach(services: ChatServices): void {
    if (this.services) return;
    this.services = services;
    const { bus } = services;
    this.offs.push(
      bus.on('message.started', () => {
        this.streaming++;
        this.render();
      }),
      bus.on('message.completed', () => {
        this.settled();
        void this.refreshKey();
      }),
      bus.on('message.failed', () => this.settled()),
      bus.on('message.costUpdated', () => this.render()),
      bus.on('budget.threshold', () => this.render()),
      bus.on('budget.exceeded', () => this.render()),
    );
    this.render();
    void this.refreshKey();
  }

  /** Reads `/key` again unless it was read within the last minute (`force`: the key changed). */
  refreshKey(force = false): Promise<void> {
    const services = this.services;
    if (!services || this.keyReading || (!force && Date.now() - this.keyReadAt < KEY_REFRESH_MS)) return this.keyReading ?? Promise.resolve();
    this.keyReadAt = Date.now();
    this.keyReading = services.client
      .getKeyInfo()
      .then(
        (info) => {
          this.key = info;
        },
        () => {
          // No key, offline, rejected: the tooltip simply leaves the key line out.
          this.key = undefined;
        },
      )
      .finally(() => {
        this.keyReading = undefined;
        this.render();
      });
    return this.keyReading;
  }

  /** Whether the last render showed the item (the setting as applied, not as read now). */
  private shown = false;

  render(): void {
    const settings = this.settings.read();
    this.shown = settings.showStatusBar;
    if (!settings.showStatusBar) {
      this.item.hide();
      return;
    }
    const spent = this.services?.costs.sessionSpent;
    const limit = budgetLimits(settings).session;
    const spentText = formatCost(spent ?? ZERO);
    const icon = this.streaming > 0 ? '$(loading~spin)' : '$(pulse)';
    this.item.text = `${icon} ${spentText}${limit ? ` / ${formatBudget(limit)}` : ''}`;
    const bp = spent && limit ? (ratioBasisPoints(spent, limit) ?? 0) : 0;
    const warnAt = Math.round(settings.warnAt * 10000);
    this.item.backgroundColor =
      bp >= 10000
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : bp >= warnAt
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
    const tooltip = new vscode.MarkdownString(
      `**Neural Terminal** — session spend ${spentText}${limit ? ` of ${formatBudget(limit)} (${(bp / 100).toFixed(1)}%)` : ' (no session budget)'}` +
        `${this.streaming ? `\n\n${this.streaming} repl${this.streaming === 1 ? 'y' : 'ies'} streaming` : ''}${keyLine(this.key)}\n\nClick for the usage report.`,
    );
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: `Neural Terminal session spend ${spentText}`, role: 'button' };
    this.item.show();
  }

  /** For tests: what the item shows. */
  get state(): { text: string; background: string | undefined; visible: boolean; tooltip: string } {
    const bg = this.item.backgroundColor as vscode.ThemeColor | undefined;
    const tooltip = this.item.tooltip;
    return {
      text: this.item.text,
      background: bg?.id,
      visible: this.shown,
      tooltip: typeof tooltip === 'string' ? tooltip : (tooltip?.value ?? ''),
    };
  }

  dispose(): void {
    for (const off of this.offs.splice(0)) off();
    this.item.dispose();
  }

  private settled(): void {
    this.streaming = Math.max(0, this.streaming - 1);
    this.render();
  }
}

/** The tooltip's key line: remaining credit first, since that is what runs out. */
function keyLine(key: KeyInfo | undefined): string {
  if (!key) return '';
  const remaining = key.limitRemaining ? `${formatCost(key.limitRemaining)} credit left of ${formatBudget(key.limit ?? key.limitRemaining)}` : 'no credit limit';
  const today = key.usageToday ? `, ${formatCost(key.usageToday)} today` : '';
  return `\n\nOpenRouter key: ${remaining} · ${formatCost(key.usage)} used${today}`;
}
