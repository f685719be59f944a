/**
 * Gathers what the usage report shows about the key and the account: `/key` always, and with
 * a management key `/credits` and the per-day reconciliation of our ledger against
 * `/activity`. A failure of one part becomes a line of text beside the others, never a
 * failed report. Declares the port it reads through. No `vscode` import.
 */
import type { AccountCredits, ActivityRow } from '../openrouter/account';
import type { KeyInfo } from '../openrouter/types';
import type { UsageReport } from '../storage/usage';
import { errorText } from './failureText';
import { reconcile, type Reconciliation } from './reconciliation';

/** What the OpenRouter layer answers (openrouter/client.ts and openrouter/account.ts). */
export interface AccountPort {
  keyInfo(): Promise<KeyInfo>;
  /** Undefined when no management key is set (as for `activity`). */
  credits(): Promise<AccountCredits | undefined>;
  activity(): Promise<readonly ActivityRow[] | undefined>;
}

export interface AccountSummary {
  readonly key: KeyInfo | undefined;
  readonly keyError: string | undefined;
  /** Whether a management key is set (credits and reconciliation need it). */
  readonly managementKey: boolean;
  readonly credits: AccountCredits | undefined;
  readonly reconciliation: Reconciliation | undefined;
  readonly accountError: string | undefined;
}

export async function loadAccountSummary(port: AccountPort, report: UsageReport, nowMs: number): Promise<AccountSummary> {
  const [key, credits, activity] = await Promise.allSettled([port.keyInfo(), port.credits(), port.activity()]);
  const accountFailure = credits.status === 'rejected' ? credits.reason : activity.status === 'rejected' ? activity.reason : undefined;
  const rows = activity.status === 'fulfilled' ? activity.value : undefined;
  const creditsValue = credits.status === 'fulfilled' ? credits.value : undefined;
  return {
    key: key.status === 'fulfilled' ? key.value : undefined,
    keyError: key.status === 'rejected' ? errorText(key.reason) : undefined,
    managementKey: rows !== undefined || creditsValue !== undefined || accountFailure !== undefined,
    credits: creditsValue,
    reconciliation: rows ? reconcile(report.byDay, rows, nowMs) : undefined,
    accountError: accountFailure === undefined ? undefined : errorText(accountFailure),
  };
}
