import "server-only";
/**
 * The dashboard's discount figures: the paying, entitled subscriptions that carry a discount
 * (a partial index keeps this to those rows), as list and net MRR lines. The dashboard's MRR
 * is list MRR; net MRR is it minus these lines' `returning`.
 */
import { eq, inArray, isNotNull, and } from "drizzle-orm";
import type { Db } from "@/db/client";
import { planPrices, subscriptions } from "@/db/schema";
import { subscriptionEntitlement } from "@/lib/access/entitlement";
import { listAndNetMrr, type RevenueLine } from "./revenue";

export async function discountRevenue(db: Db, now: Date, graceDays: number): Promise<RevenueLine[]> {
  const rows = await db
    .select({ sub: subscriptions, amount: planPrices.amount, currency: planPrices.currency, interval: planPrices.interval })
    .from(subscriptions)
    .innerJoin(planPrices, eq(planPrices.stripePriceId, subscriptions.stripePriceId))
    .where(and(isNotNull(subscriptions.discountDuration), inArray(subscriptions.status, ["active", "past_due"])));
  return listAndNetMrr(
    rows
      .filter(({ sub }) => subscriptionEntitlement(sub, now, graceDays) !== null)
      .map(({ sub, amount, currency, interval }) => ({
        status: sub.status,
        currentPeriodStart: sub.currentPeriodStart,
        currentPeriodEnd: sub.currentPeriodEnd,
        price: { amount, currency, interval },
        discount: {
          percentBp: sub.discountPercentBp,
          amountOff: sub.discountAmountOff,
          duration: sub.discountDuration ?? "once",
          start: sub.discountStart,
          end: sub.discountEnd,
        },
      })),
  );
}
