/**
 * List and net MRR side by side: list counts each paying subscription at its price, net at
 * what its next invoice will charge after the discount in force (appliesToNextInvoice), and the
 * difference is the revenue that returns when discounts end. Per currency, in minor units,
 * summed in twelfths and rounded once (a yearly price counts a twelfth a month). A 100 %-off
 * month is a discount on an active subscription: list MRR keeps it, net MRR counts 0 for it.
 */
import { appliesToNextInvoice, discountedAmount, type DiscountTerms, type PeriodFacts } from "@/lib/billing/discount-math";

export interface RevenueSubscription extends PeriodFacts {
  price: { amount: number; currency: string; interval: "month" | "year" };
  discount: DiscountTerms | null;
  /** How many subscriptions with these same facts this line stands for (1 when absent). */
  count?: number;
}

export interface RevenueLine {
  currency: string;
  list: number;
  net: number;
  /** list − net: what comes back as discounts end. */
  returning: number;
}

export function listAndNetMrr(subs: readonly RevenueSubscription[]): RevenueLine[] {
  const totals = new Map<string, { list: number; net: number }>();
  for (const sub of subs) {
    const { amount, currency, interval } = sub.price;
    const net = sub.discount && appliesToNextInvoice(sub.discount, sub) ? discountedAmount(amount, sub.discount) : amount;
    const factor = (interval === "year" ? 1 : 12) * (sub.count ?? 1);
    const line = totals.get(currency) ?? { list: 0, net: 0 };
    line.list += amount * factor;
    line.net += net * factor;
    totals.set(currency, line);
  }
  return [...totals.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, t]) => {
      const list = Math.round(t.list / 12);
      const net = Math.round(t.net / 12);
      return { currency, list, net, returning: list - net };
    });
}
