/**
 * A licence's monthly recurring revenue: its price for the whole term as a monthly figure, in
 * exact integer minor units. Pure (the admin's list and the dashboard both use it).
 *
 * - A term of whole calendar months (it ends on the same day of the month and time of day as it
 *   starts, e.g. 2026-03-01 to 2027-03-01) counts price / months: a year's term is price / 12.
 * - Any other term counts price × 30.4375 days / the term's days (30.4375 = 365.25 / 12, the
 *   average month), computed on the term's exact length in milliseconds.
 * - Rounded once per licence to the nearest minor unit, halves up, with integer arithmetic (no
 *   floating point); per-currency totals add the rounded figures.
 */

const AVERAGE_MONTH_MS = 2_629_800_000n; // 30.4375 days

/** How many whole calendar months (UTC) take `start` exactly to `end`; null when none do. */
export function wholeMonths(start: Date, end: Date): number | null {
  const months = (end.getUTCFullYear() - start.getUTCFullYear()) * 12 + (end.getUTCMonth() - start.getUTCMonth());
  if (months < 1) return null;
  const stepped = new Date(start);
  stepped.setUTCMonth(start.getUTCMonth() + months);
  // setUTCMonth overflows a 31st into the next month: such a term is not whole months.
  return stepped.getTime() === end.getTime() && stepped.getUTCDate() === start.getUTCDate() ? months : null;
}

/** numerator / denominator rounded to the nearest integer, halves up (both non-negative). */
function roundHalfUp(numerator: bigint, denominator: bigint): number {
  return Number((2n * numerator + denominator) / (2n * denominator));
}

/** The licence's monthly figure in minor units (see the module's comment for the rule). */
export function licenceMonthlyAmount(priceAmount: number, termStart: Date, termEnd: Date): number {
  const termMs = BigInt(termEnd.getTime() - termStart.getTime());
  if (priceAmount <= 0 || termMs <= 0n) return 0;
  const months = wholeMonths(termStart, termEnd);
  if (months !== null) return roundHalfUp(BigInt(priceAmount), BigInt(months));
  return roundHalfUp(BigInt(priceAmount) * AVERAGE_MONTH_MS, termMs);
}

export interface LicenceForMrr {
  priceAmount: number;
  currency: string;
  termStart: Date;
  termEnd: Date;
}

/** Whether the licence's term runs at `now` (it counts in the MRR). */
export const licenceRunning = (l: Pick<LicenceForMrr, "termStart" | "termEnd">, now: Date) => l.termStart <= now && now < l.termEnd;

/** Licence MRR per currency: every licence whose term runs at `now`, at its monthly figure. */
export function licenceMrr(licences: readonly LicenceForMrr[], now: Date): Array<{ currency: string; amount: number }> {
  const totals = new Map<string, number>();
  for (const l of licences) {
    if (!licenceRunning(l, now)) continue;
    totals.set(l.currency, (totals.get(l.currency) ?? 0) + licenceMonthlyAmount(l.priceAmount, l.termStart, l.termEnd));
  }
  return [...totals.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([currency, amount]) => ({ currency, amount }));
}
