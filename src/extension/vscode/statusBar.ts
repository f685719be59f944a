/**
 * Session spend in the status bar: `$(pulse) $0.0123 / $5.00`, a spinner while a reply
 * streams, the warning background from 80% of the budget and the error background at
 * 100%. Click → Show Usage. Hidden by `neuralTerminal.ui.showStatusBar`.
 */
import * as vscode from 'vscode';
import type { ChatServices } from './chatServices';
import { budgetLimits } from './chatServices';
import type { SettingsReader } from './config';
import { formatUsd, ratioBasisPoints } from '../../shared/money';

export class SpendStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('neuralTerminal.spend', vscode.StatusBarAlignment.Right, 100);
  private streaming = 0;
  private services: ChatServices | undefined;
  private readonly offs: Array<() => void> = [];

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
      bus.on('message.completed', () => this.settled()),
      bus.on('message.failed', () => this.settled()),
      bus.on('message.costUpdated', () => this.render()),
      bus.on('budget.threshold', () => this.render()),
      bus.on('budget.exceeded', () => this.render()),
    );
    this.render();
  }

  render(): void {
    const settings = this.settings.read();
    if (!settings.showStatusBar) {
      this.item.hide();
      return;
    }
    const spent = this.services?.costs.sessionSpent;
    const limit = budgetLimits(settings).session;
    const spentText = spent ? formatUsd(spent, 4) : '$0.0000';
    const icon = this.streaming > 0 ? '$(loading~spin)' : '$(pulse)';
    this.item.text = `${icon} ${spentText}${limit ? ` / ${formatUsd(limit, 2)}` : ''}`;
    const bp = spent && limit ? (ratioBasisPoints(spent, limit) ?? 0) : 0;
    const warnAt = Math.round(settings.warnAt * 10000);
    this.item.backgroundColor =
      bp >= 10000
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : bp >= warnAt
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
    const tooltip = new vscode.MarkdownString(
      `**Neural Terminal** — session spend ${spentText}${limit ? ` of ${formatUsd(limit, 2)} (${(bp / 100).toFixed(1)}%)` : ' (no session budget)'}` +
        `${this.streaming ? `\n\n${this.streaming} repl${this.streaming === 1 ? 'y' : 'ies'} streaming` : ''}\n\nClick for the usage report.`,
    );
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: `Neural Terminal session spend ${spentText}`, role: 'button' };
    this.item.show();
  }

  /** For tests: what the item shows. */
  get state(): { text: string; background: string | undefined; visible: boolean } {
    const bg = this.item.backgroundColor as vscode.ThemeColor | undefined;
    return { text: this.item.text, background: bg?.id, visible: this.settings.read().showStatusBar };
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
