/**
 * The key and account endpoints: `/key` (the API key's limit, usage and remaining credit) and,
 * with an optional management key kept apart from the API key, `/credits` (the account's credits)
 * and `/activity` (what OpenRouter billed per completed UTC day, model and provider). Money is
 * exact: each JSON number is read as the decimal it was written as. Requests go through the
 * client's GET path (timeouts, retries, breakers, key scrubbing). No `vscode` import.
 */
import { usdFromNumber, type Usd } from '../../shared/money';
import { invalidResponseError, isOpenRouterError, OpenRouterError } from './errors';
import { activitySchema, creditsSchema, type KeyInfoBody } from './schemas';
import type { KeyInfo } from './types';
import type * as z from 'zod';

/** What `/credits` reports for the whole account (management key). */
export interface AccountCredits {
  readonly totalCredits: Usd;
  readonly totalUsage: Usd;
}

/** One `/activity` row: a completed UTC day, one model behind one provider. */
export interface ActivityRow {
  /** `YYYY-MM-DD`, UTC. */
  readonly date: string;
  readonly model: string;
  readonly provider: string | undefined;
  /** OpenRouter credit spent. */
  readonly usage: Usd;
  /** Billed on the user's own provider keys (BYOK). */
  readonly byokUsage: Usd;
  readonly requests: number;
}

/** The part of the client this module needs: one validated GET, with a key of its choosing. */
export interface JsonGetter {
  getJson<T>(endpoint: string, path: string, schema: z.ZodType<T>, signal: AbortSignal | undefined, apiKeyOverride?: string): Promise<T>;
}

/** `/key`'s body as exact figures; undefined where the server left a field out. */
export function keyInfoFrom(body: KeyInfoBody): KeyInfo {
  const d = body.data;
  const usage = usdFromNumber(d.usage);
  if (!usage) throw invalidResponseError('key usage');
  const optional = (n: number | null | undefined): Usd | undefined => (n === null || n === undefined ? undefined : usdFromNumber(n));
  return {
    label: d.label ?? undefined,
    limit: d.limit === null ? undefined : usdFromNumber(d.limit),
    limitRemaining: optional(d.limit_remaining),
    usage,
    usageToday: optional(d.usage_daily),
    usageMonth: optional(d.usage_monthly),
    byokUsage: optional(d.byok_usage),
    isFreeTier: d.is_free_tier ?? false,
  };
}

export class AccountApi {
  constructor(
    private readonly http: JsonGetter,
    /** Read on every call; undefined when the user set none. */
    private readonly managementKey: () => Promise<string | undefined>,
  ) {}

  /** Whether a management key is stored (the account figures can be read). */
  async available(): Promise<boolean> {
    return (await this.readManagementKey()) !== undefined;
  }

  /** The account's credits, or undefined without a management key. */
  async credits(signal?: AbortSignal): Promise<AccountCredits | undefined> {
    const key = await this.readManagementKey();
    if (key === undefined) return undefined;
    const body = await this.get('credits', 'credits', creditsSchema, key, signal);
    const totalCredits = usdFromNumber(body.data.total_credits);
    const totalUsage = usdFromNumber(body.data.total_usage);
    if (!totalCredits || !totalUsage) throw invalidResponseError('credits');
    return { totalCredits, totalUsage };
  }

  /** Billed activity of the last 30 completed UTC days (or `date` alone), or undefined without a management key. */
  async activity(options: { date?: string; signal?: AbortSignal } = {}): Promise<ActivityRow[] | undefined> {
    const key = await this.readManagementKey();
    if (key === undefined) return undefined;
    const path = options.date ? `activity?date=${encodeURIComponent(options.date)}` : 'activity';
    const body = await this.get('activity', path, activitySchema, key, options.signal);
    return body.data.map((r) => {
      const usage = usdFromNumber(r.usage);
      const byok = r.byok_usage_inference === null || r.byok_usage_inference === undefined ? usdFromNumber(0) : usdFromNumber(r.byok_usage_inference);
      if (!usage || !byok) throw invalidResponseError('activity');
      return { date: r.date, model: r.model, provider: r.provider_name ?? undefined, usage, byokUsage: byok, requests: r.requests };
    });
  }

  private async readManagementKey(): Promise<string | undefined> {
    let key: string | undefined;
    try {
      key = (await this.managementKey())?.trim();
    } catch {
      key = undefined; // a secret store failure reads as "none"; its text could hold the key
    }
    return key ? key : undefined;
  }

  private async get<T>(endpoint: string, path: string, schema: z.ZodType<T>, key: string, signal: AbortSignal | undefined): Promise<T> {
    try {
      return await this.http.getJson(endpoint, path, schema, signal, key);
    } catch (error) {
      // 401/403 here are about the management key, not a chat message (403 is "moderation" there).
      if (isOpenRouterError(error) && (error.status === 401 || error.status === 403)) {
        throw new OpenRouterError({
          ...error.toInit(),
          kind: 'unauthorized',
          action: 'none',
          details: { ...error.details, managementKey: true },
        });
      }
      throw error;
    }
  }
}
