/**
 * Typed access to the `neuralTerminal.*` settings. Values are validated with zod;
 * an invalid value is reported once (log + warning) and the default used, never thrown.
 * Read on every use, so changes apply without a reload. Money and privacy settings
 * (core/settingsPolicy.ts) come from the user's own settings only: a workspace value
 * is ignored, except one that turns redaction on.
 */
import * as vscode from 'vscode';
import * as z from 'zod/mini';
import type { Logger } from '../base/logger';
import { Look, Mode } from '../../shared/protocol';
import { endpointAllowed, USER_ONLY_SETTINGS } from '../core/settingsPolicy';

export const DEFAULT_BASE_URL = 'https://openrouter.ai/api/v1';

const BaseUrl = z.pipe(
  z.string().check(
    z.trim(),
    z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
    // The key is sent to it: never in cleartext over the network.
    z.refine(endpointAllowed, { error: 'must use https (plain http only for localhost / 127.0.0.1)' }),
  ),
  z.transform((u: string) => u.replace(/\/+$/, '')),
);
const ModelId = z.string().check(z.trim(), z.minLength(1), z.maxLength(200));
const OptionalNumber = (min: number, max: number) => z.nullable(z.number().check(z.gte(min), z.lte(max)));
const OptionalInt = (min: number, max: number) => z.nullable(z.int().check(z.gte(min), z.lte(max)));

export interface Settings {
  baseUrl: string;
  defaultModel: string;
  fallbackModels: string[];
  temperature: number | undefined;
  maxTokens: number | undefined;
  systemPrompt: string | undefined;
  /** USD as the user typed it; converted exactly where it is used. */
  budgetSession: number | undefined;
  budgetMonthly: number | undefined;
  warnAt: number;
  redactPII: boolean;
  stallTimeoutSeconds: number;
  circuitThreshold: number;
  circuitRecoverySeconds: number;
  mode: Mode;
  look: Look;
  /** Transcript prose font ('editor': the editor's monospace; 'ui': the workbench font) and size in px (0: the editor's). */
  proseFont: 'editor' | 'ui';
  proseFontSize: number;
  showStatusBar: boolean;
  sendSelectionTarget: 'current' | 'new';
  /** Send Selection sends at once instead of attaching a chip. */
  sendSelectionImmediately: boolean;
  /** Token limit of one message's attachments together. */
  attachmentsMaxTokens: number;
}

export class SettingsReader {
  private readonly warned = new Set<string>();

  constructor(private readonly log: Logger) {}

  read(): Settings {
    const cfg = vscode.workspace.getConfiguration('neuralTerminal');
    const v = <T>(key: string, schema: z.ZodMiniType<T, unknown>, fallback: T): T => this.value(cfg, key, schema, fallback);
    const systemPrompt = v('systemPrompt', z.string().check(z.maxLength(100_000)), '').trim();
    return {
      baseUrl: v('baseUrl', BaseUrl, DEFAULT_BASE_URL),
      defaultModel: v('defaultModel', ModelId, 'openai/gpt-4o-mini'),
      fallbackModels: v('fallbackModels', z.array(ModelId).check(z.maxLength(3)), []),
      temperature: v('temperature', OptionalNumber(0, 2), null) ?? undefined,
      maxTokens: v('maxTokens', OptionalInt(1, 1_000_000), null) ?? undefined,
      systemPrompt: systemPrompt || undefined,
      budgetSession: v('budget.session', OptionalNumber(0, 1_000_000), 5) ?? undefined,
      budgetMonthly: v('budget.monthly', OptionalNumber(0, 1_000_000), null) ?? undefined,
      warnAt: v('budget.warnAt', z.number().check(z.gte(0.05), z.lte(1)), 0.8),
      redactPII: v('privacy.redactPII', z.boolean(), false),
      stallTimeoutSeconds: v('network.stallTimeoutSeconds', z.int().check(z.gte(5), z.lte(600)), 60),
      circuitThreshold: v('circuitBreaker.threshold', z.int().check(z.gte(1), z.lte(100)), 5),
      circuitRecoverySeconds: v('circuitBreaker.recoverySeconds', z.int().check(z.gte(1), z.lte(3600)), 30),
      mode: v('ui.mode', Mode, 'research'),
      look: v('ui.look', Look, 'editor'),
      proseFont: v('ui.proseFont', z.enum(['editor', 'ui']), 'editor'),
      proseFontSize: v('ui.proseFontSize', z.int().check(z.gte(0), z.lte(40)), 0),
      showStatusBar: v('ui.showStatusBar', z.boolean(), true),
      sendSelectionTarget: v('sendSelection.target', z.enum(['current', 'new']), 'current'),
      sendSelectionImmediately: v('sendSelection.immediately', z.boolean(), false),
      attachmentsMaxTokens: v('attachments.maxTokens', z.int().check(z.gte(1000), z.lte(1_000_000)), 50_000),
    };
  }

  private value<T>(cfg: vscode.WorkspaceConfiguration, key: string, schema: z.ZodMiniType<T, unknown>, fallback: T): T {
    const raw = USER_ONLY.has(key) ? userOnlyValue(cfg, key) : cfg.get<unknown>(key);
    if (raw === undefined) return fallback;
    const parsed = schema.safeParse(raw);
    if (parsed.success) return parsed.data;
    const note = `Setting neuralTerminal.${key} is invalid (${parsed.error.issues[0]?.message ?? 'bad value'}); using the default.`;
    if (!this.warned.has(key)) {
      this.warned.add(key);
      this.log.warn(note);
      void vscode.window.showWarningMessage(`Neural Terminal: ${note}`);
    }
    return fallback;
  }
}

const USER_ONLY: ReadonlySet<string> = new Set(USER_ONLY_SETTINGS);

/**
 * The user's (or the remote machine's) value of a user-only key; workspace and folder
 * values are skipped, whatever the editor's own scope handling did with them, except
 * that a workspace may switch redaction on.
 */
function userOnlyValue(cfg: vscode.WorkspaceConfiguration, key: string): unknown {
  const i = cfg.inspect<unknown>(key);
  if (key === 'privacy.redactPII' && (i?.workspaceValue === true || i?.workspaceFolderValue === true)) return true;
  return i?.globalValue;
}

/** True when a configuration change touches one of ours. */
export function affectsUs(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration('neuralTerminal');
}
