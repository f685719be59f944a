/** The telemetry strip and drawer: spend, budgets, tokens, speed, circuit state. */
import * as z from 'zod/mini';
import { Count, Millis, Money, push } from './common';

export const Telemetry = z.object({
  sessionCost: Money,
  monthCost: Money,
  lifetimeCost: Money,
  budget: z.object({
    session: z.optional(Money),
    monthly: z.optional(Money),
    warnAtBasisPoints: z.int(),
  }),
  tokensIn: Count,
  tokensOut: Count,
  context: z.optional(z.object({ used: Count, reserve: Count, limit: Count })),
  lastTtftMs: z.optional(Millis),
  lastTokensPerSecond: z.optional(z.number()),
  /** Costs of recent replies, oldest first, for the sparkline. */
  recentCosts: z.array(Money),
  circuit: z.enum(['closed', 'open', 'half-open']),
  keyBalance: z.optional(z.object({ remaining: z.optional(Money), usage: Money })),
});
export type Telemetry = z.infer<typeof Telemetry>;

export const telemetryPushes = [push('telemetry/update', { telemetry: Telemetry })] as const;
