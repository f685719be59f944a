/**
 * The "Neural Terminal" log channel. Every line passes through the Redactor first, so
 * nothing key-shaped reaches the Output panel. Also keeps a short in-memory tail the
 * integration tests read to prove redaction and dropped-message logging.
 */
import * as vscode from 'vscode';
import type { Logger } from '../base/logger';
import type { Redactor } from '../base/redact';

const TAIL_LINES = 500;

export class ExtensionLog implements Logger, vscode.Disposable {
  private readonly channel: vscode.LogOutputChannel;
  private readonly tail: string[] = [];

  constructor(private readonly redactor: Redactor) {
    this.channel = vscode.window.createOutputChannel('Neural Terminal', { log: true });
  }

  trace(message: string): void {
    this.channel.trace(this.remember('trace', message));
  }
  debug(message: string): void {
    this.channel.debug(this.remember('debug', message));
  }
  info(message: string): void {
    this.channel.info(this.remember('info', message));
  }
  warn(message: string): void {
    this.channel.warn(this.remember('warn', message));
  }
  error(message: string): void {
    this.channel.error(this.remember('error', message));
  }

  show(): void {
    this.channel.show(true);
  }

  /** The most recent lines, already redacted. */
  recentLines(): string[] {
    return [...this.tail];
  }

  dispose(): void {
    this.channel.dispose();
  }

  private remember(level: string, message: string): string {
    const clean = this.redactor.redact(message);
    this.tail.push(`${level}: ${clean}`);
    if (this.tail.length > TAIL_LINES) this.tail.splice(0, this.tail.length - TAIL_LINES);
    return clean;
  }
}
