/**
 * A subscription's discount in words for its owner and the admin: "$6.00 off each payment
 * until 28 Feb 2027, then $8.00 / month". Dates on our clock (the row's offset removed).
 */
import type { SubscriptionRow } from "@/db/schema";
import { formatMoney } from "./money";
import { appliesToNextInvoice, discountedAmount } from "./discount-math";

export interface DiscountSummary {
  /** What is taken off: "50% off" or "$6.00 off". */
  off: string;
  /** What the next payment is, when it is still discounted. */
  nextPayment: number | null;
  /** When the discount stops (repeating), on our clock; null for once and forever. */
  endsAt: Date | null;
  duration: "once" | "repeating" | "forever";
}

type Facts = Pick<
  SubscriptionRow,
  "status" | "currentPeriodStart" | "currentPeriodEnd" | "clockOffsetSeconds" | "discountPercentBp" | "discountAmountOff" | "discountDuration" | "discountStart" | "discountEnd"
>;

export function discountSummary(sub: Facts, price: { amount: number; currency: string } | null): DiscountSummary | null {
  if (!sub.discountDuration || (sub.discountPercentBp === null && sub.discountAmountOff === null)) return null;
  const terms = {
    percentBp: sub.discountPercentBp,
    amountOff: sub.discountAmountOff,
    duration: sub.discountDuration,
    start: sub.discountStart,
    end: sub.discountEnd,
  };
  const off =
    sub.discountPercentBp !== null ? `${sub.discountPercentBp / 100}% off` : `${formatMoney(sub.discountAmountOff ?? 0, price?.currency ?? "usd")} off`;
  const applies = appliesToNextInvoice(terms, sub);
  return {
    off,
    nextPayment: price && applies ? discountedAmount(price.amount, terms) : null,
    endsAt: sub.discountEnd ? new Date(sub.discountEnd.getTime() - sub.clockOffsetSeconds * 1000) : null,
    duration: sub.discountDuration,
  };
}
