/**
 * The EU right of withdrawal in numbers (pure): how long it lasts, and what a withdrawal refunds
 * under the publisher's rule. Money is integer minor units throughout (BigInt for the product,
 * so no float ever touches it).
 *
 * Pro rata ("days read"): the payment covered `daysPaid` whole days (its period's length in
 * days, rounded to the nearest day, at least 1); every day begun since the period started counts
 * as read, the day of purchase included (`daysRead`, 1 to `daysPaid`). The publisher keeps
 * `floor(amountPaid × daysRead / daysPaid)`, rounded down so any fraction of a cent goes to the
 * reader; the rest is refunded. Full: all of it is refunded.
 */

export const WITHDRAWAL_DAYS = 14;
const DAY_MS = 86_400_000;

export type RefundRule = "full_refund" | "pro_rata_refund";

/** Whether `at` is still within the 14 days after the contract was made (both on one clock). */
export function withinWithdrawalPeriod(madeAt: Date, at: Date): boolean {
  return at.getTime() - madeAt.getTime() < WITHDRAWAL_DAYS * DAY_MS;
}

/** When the withdrawal period ends (on the clock `madeAt` is on). */
export function withdrawalPeriodEnd(madeAt: Date): Date {
  return new Date(madeAt.getTime() + WITHDRAWAL_DAYS * DAY_MS);
}

export interface RefundInput {
  rule: RefundRule;
  /** What the payment took, in minor units (≥ 0). */
  amountPaid: number;
  /** The period the payment covered, and the moment of withdrawal, on one clock. */
  periodStart: Date;
  periodEnd: Date;
  withdrawnAt: Date;
}

export interface RefundOutcome {
  refund: number;
  /** Pro rata only: the days counted as read, of the days paid for. */
  daysRead: number | null;
  daysPaid: number | null;
}

export function withdrawalRefund(input: RefundInput): RefundOutcome {
  const { rule, amountPaid, periodStart, periodEnd, withdrawnAt } = input;
  if (!Number.isSafeInteger(amountPaid) || amountPaid < 0) throw new RangeError(`amountPaid must be a whole number of minor units, got ${amountPaid}`);
  if (rule === "full_refund") return { refund: amountPaid, daysRead: null, daysPaid: null };
  const daysPaid = Math.max(1, Math.round((periodEnd.getTime() - periodStart.getTime()) / DAY_MS));
  const begun = Math.ceil((withdrawnAt.getTime() - periodStart.getTime()) / DAY_MS);
  const daysRead = Math.min(daysPaid, Math.max(1, begun));
  const kept = Number((BigInt(amountPaid) * BigInt(daysRead)) / BigInt(daysPaid));
  return { refund: amountPaid - kept, daysRead, daysPaid };
}
