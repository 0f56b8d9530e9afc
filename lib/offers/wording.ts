/**
 * An offer in plain words, from the same arithmetic Stripe bills with: "$2.00/month for 3
 * months, then $8.00/month", "30 days free, then $8.00/month".
 */
import type { Offer, Plan } from "@/db/schema";
import { formatMoney } from "@/lib/billing/money";
import { discountedAmount } from "@/lib/billing/discount-math";

type Terms = Pick<Offer, "kind" | "percentOff" | "amountOff" | "trialDays" | "duration" | "durationMonths">;
type Price = Pick<Plan, "amount" | "currency" | "interval">;

export interface OfferWords {
  /** The offer: "$2.00/month for 3 months, then $8.00/month". */
  headline: string;
  /** What the reader pays once the offer is over. */
  renewal: string;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;

/** What a discount-type offer charges per period. */
export function offerAmount(offer: Terms, plan: Price): number {
  if (offer.kind === "percent") return discountedAmount(plan.amount, { percentBp: (offer.percentOff ?? 0) * 100, amountOff: null });
  if (offer.kind === "amount") return discountedAmount(plan.amount, { percentBp: null, amountOff: offer.amountOff });
  return plan.amount;
}

/**
 * How many of the plan's invoices get the discount: a repeating discount runs N months from
 * the purchase, so on a yearly plan it covers the invoices made in those months.
 */
export function discountedPeriods(offer: Terms, plan: Price): number | null {
  if (offer.duration === "forever") return null;
  if (offer.duration === "once") return 1;
  const months = offer.durationMonths ?? 1;
  return plan.interval === "year" ? Math.ceil(months / 12) : months;
}

export function describeOffer(offer: Terms, plan: Price): OfferWords {
  const money = (amount: number) => formatMoney(amount, plan.currency);
  const per = `/${plan.interval}`;
  const full = `${money(plan.amount)}${per}`;
  const renewal = `Then ${full}, renewing until you cancel; cancel any time.`;
  if (offer.kind === "trial") return { headline: `${plural(offer.trialDays ?? 0, "day")} free, then ${full}`, renewal };
  const price = offerAmount(offer, plan);
  const periods = discountedPeriods(offer, plan);
  if (periods === null) return { headline: `${money(price)}${per} for as long as you subscribe (instead of ${full})`, renewal: `${money(price)}${per}, renewing until you cancel; cancel any time.` };
  const span = periods === 1 ? `the first ${plan.interval}` : plural(periods, plan.interval);
  const start = price === 0 ? `Free for ${span}` : periods === 1 ? `${money(price)} for the first ${plan.interval}` : `${money(price)}${per} for ${span}`;
  return { headline: `${start}, then ${full}`, renewal };
}
