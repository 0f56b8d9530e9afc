/**
 * Monthly recurring revenue from Stripe's objects, by the dashboard's definition (lib/admin/
 * dashboard: each paying, entitled subscription at its price's monthly equivalent, summed in
 * twelfths and rounded once), so the two can be compared: equal when our rows match Stripe.
 */
import { subscriptionEntitlement } from "@/lib/access/entitlement";
import type { Ledger } from "./ledger";
import { stripeFacts } from "./stripe-facts";

const PAYING = new Set(["active", "past_due"]);

export function stripeMrr(ledger: Ledger): Array<{ currency: string; amount: number }> {
  const twelfths = new Map<string, number>();
  for (const s of ledger.subscriptions) {
    const price = s.stripe.items.data[0]?.price;
    if (!price?.recurring || price.unit_amount === null || !PAYING.has(s.stripe.status)) continue;
    if (!subscriptionEntitlement(stripeFacts(s), ledger.at, ledger.graceDays)) continue;
    const quantity = s.stripe.items.data[0]?.quantity ?? 1;
    const perYear = price.recurring.interval === "year" ? price.unit_amount : price.unit_amount * 12;
    twelfths.set(price.currency, (twelfths.get(price.currency) ?? 0) + perYear * quantity);
  }
  return [...twelfths.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([currency, t]) => ({ currency, amount: Math.round(t / 12) }));
}
