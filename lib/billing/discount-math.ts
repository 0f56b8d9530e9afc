/**
 * What a discount takes off a price, and whether it still applies to the next invoice: the
 * same arithmetic Stripe uses (percentages rounded half up to the minor unit), so what we
 * show and count is what Stripe charges.
 */

export interface DiscountTerms {
  /** Percent in basis points (Stripe allows 33.5 % = 3350), or null for an amount off. */
  percentBp: number | null;
  /** Minor units, in the price's currency. */
  amountOff: number | null;
  duration: "once" | "repeating" | "forever";
  /** When it was redeemed and, for `repeating`, when it stops (Stripe's clock). */
  start: Date | null;
  end: Date | null;
}

/** The price after the discount, never below 0. */
export function discountedAmount(amount: number, discount: Pick<DiscountTerms, "percentBp" | "amountOff">): number {
  if (discount.percentBp !== null) return amount - Math.min(amount, Math.round((amount * discount.percentBp) / 10_000));
  return Math.max(0, amount - (discount.amountOff ?? 0));
}

export interface PeriodFacts {
  status: string;
  currentPeriodStart: Date | null;
  currentPeriodEnd: Date | null;
}

/**
 * Whether the discount will be on the next invoice (made at the end of the current period):
 * forever always; repeating while it runs past that moment; once only if the current period's
 * invoice did not use it (it was redeemed during the period, or the period is a trial).
 */
export function appliesToNextInvoice(discount: DiscountTerms, sub: PeriodFacts): boolean {
  switch (discount.duration) {
    case "forever":
      return true;
    case "repeating":
      return discount.end !== null && sub.currentPeriodEnd !== null && discount.end.getTime() > sub.currentPeriodEnd.getTime();
    default:
      if (sub.status === "trialing") return true;
      return discount.start !== null && sub.currentPeriodStart !== null && discount.start.getTime() > sub.currentPeriodStart.getTime();
  }
}
