/** The budget settings as the cost tracker takes them (exact USD; zero or unset means no limit). */
import { usdFromNumber } from '../../shared/money';
import type { BudgetLimits } from '../core/costTracker';
import type { Settings } from './config';

export function budgetLimits(s: Settings): BudgetLimits {
  const usd = (n: number | undefined) => (n === undefined || n <= 0 ? undefined : usdFromNumber(n));
  return { session: usd(s.budgetSession), monthly: usd(s.budgetMonthly), warnAtBasisPoints: Math.round(s.warnAt * 10000) };
}
