/**
 * Typed access to the `neuralTerminal.*` settings. Values are validated with zod;
 * an invalid value is reported once and the default used, never thrown.
 */
import * as vscode from 'vscode';
import * as z from 'zod/mini';
import type { Logger } from '../core/logger';
import { Look } from '../../shared/protocol';

export const DEFAULT_BASE_URL = 'https://openrouter.ai/api/v1';

const BaseUrl = z.pipe(
  z.string().check(z.trim(), z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })),
  z.transform((u: string) => u.replace(/\/+$/, '')),
);

export interface Settings {
  baseUrl: string;
  look: Look;
}

export class SettingsReader {
  private readonly warned = new Set<string>();

  constructor(private readonly log: Logger) {}

  read(): Settings {
    const cfg = vscode.workspace.getConfiguration('neuralTerminal');
    return {
      baseUrl: this.value(cfg, 'baseUrl', BaseUrl, DEFAULT_BASE_URL),
      look: this.value(cfg, 'ui.look', Look, 'editor'),
    };
  }

  private value<T>(
    cfg: vscode.WorkspaceConfiguration,
    key: string,
    schema: z.ZodMiniType<T, unknown>,
    fallback: T,
  ): T {
    const raw = cfg.get<unknown>(key);
    if (raw === undefined) return fallback;
    const parsed = schema.safeParse(raw);
    if (parsed.success) return parsed.data;
    const note = `Setting neuralTerminal.${key} is invalid (${parsed.error.issues[0]?.message ?? 'bad value'}); using the default.`;
    this.log.warn(note);
    if (!this.warned.has(key)) {
      this.warned.add(key);
      void vscode.window.showWarningMessage(`Neural Terminal: ${note}`);
    }
    return fallback;
  }
}

/** True when a configuration change touches one of ours. */
export function affectsUs(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration('neuralTerminal');
}
