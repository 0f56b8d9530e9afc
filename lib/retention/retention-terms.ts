/**
 * What a retention discount is worth to this subscription, in its own dates. Stripe runs a
 * repeating discount N months from when it is applied, not N invoices: accepted mid-period, a
 * 2-month discount on a monthly plan covers the renewals that fall in those 2 months, and on a
 * yearly plan renewing in 5 months it covers none. So the save screen names the renewals it
 * covers, and offers nothing when it covers none. The rule for "covers" is the one the
 * dashboard's net MRR uses (discount-math): a renewal before the discount's end.
 */
import type { Offer } from "@/db/schema";
import { discountedAmount } from "@/lib/billing/discount-math";
import { billingDay } from "@/lib/billing/billing-day";
import { formatMoney } from "@/lib/billing/money";

type Terms = Pick<Offer, "kind" | "percentOff" | "amountOff" | "duration" | "durationMonths">;
export interface RetentionPrice {
  amount: number;
  currency: string;
  interval: "month" | "year";
}

export interface RetentionTerms {
  /** What each covered renewal costs, and the price after. */
  amount: number;
  fullAmount: number;
  /** The renewals it covers (Stripe's clock), or null for as long as the subscription lasts. */
  renewals: Date[] | null;
}

/** Adds calendar months, clamped to the month's last day (as Stripe moves billing dates). */
export function addMonths(at: Date, months: number): Date {
  const d = new Date(at.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  d.setUTCDate(Math.min(day, new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate()));
  return d;
}

/**
 * The terms if the discount were applied at `stripeNow` to a subscription whose next renewal
 * is `nextRenewal`; null when it would cover no renewal (or is not a discount).
 */
export function retentionTerms(offer: Terms, price: RetentionPrice, nextRenewal: Date, stripeNow: Date): RetentionTerms | null {
  if (offer.kind === "trial") return null;
  const amount = discountedAmount(price.amount, { percentBp: offer.kind === "percent" ? (offer.percentOff ?? 0) * 100 : null, amountOff: offer.amountOff });
  const base = { amount, fullAmount: price.amount };
  if (offer.duration === "forever") return { ...base, renewals: null };
  if (offer.duration === "once") return { ...base, renewals: [nextRenewal] };
  const end = addMonths(stripeNow, offer.durationMonths ?? 1);
  const step = price.interval === "year" ? 12 : 1;
  const renewals: Date[] = [];
  for (let k = 0; renewals.length < 120; k++) {
    const renewal = addMonths(nextRenewal, k * step);
    if (renewal.getTime() >= end.getTime()) break;
    renewals.push(renewal);
  }
  return renewals.length > 0 ? { ...base, renewals } : null;
}

/**
 * The save screen's sentence: "$4.00 instead of $8.00 on your next 2 renewals (December 15,
 * 2026 and January 15, 2027), then $8.00/month." Dates are shifted back from Stripe's clock by
 * `clockOffsetSeconds` (0 against real Stripe).
 */
export function describeRetention(terms: RetentionTerms, price: RetentionPrice, clockOffsetSeconds: number): string {
  const money = (amount: number) => (amount === 0 ? "Free" : formatMoney(amount, price.currency));
  const full = `${formatMoney(price.amount, price.currency)}/${price.interval}`;
  if (terms.renewals === null) return `${money(terms.amount)}${terms.amount === 0 ? "" : `/${price.interval}`} instead of ${full} for as long as you subscribe.`;
  const dates = terms.renewals.map((r) => billingDay(r, clockOffsetSeconds));
  const which =
    dates.length === 1
      ? `your next renewal, on ${dates[0]}`
      : `your next ${dates.length} renewals (${dates.length === 2 ? dates.join(" and ") : `${dates[0]} to ${dates.at(-1)}`})`;
  return `${money(terms.amount)} instead of ${formatMoney(terms.fullAmount, price.currency)} on ${which}, then ${full}.`;
}
