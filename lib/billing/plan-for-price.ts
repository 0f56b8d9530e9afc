import "server-only";
import { eq, sql, type SQL } from "drizzle-orm";
import { planPrices, plans } from "@/db/schema";

/**
 * Which of our plans a Stripe price belongs to (an archived price's plan first, then the plan
 * whose current price it is), as a scalar SQL expression: read in the same statement as the
 * other facts a subscription's pull needs.
 */
export function planIdForPrice(stripePriceId: string): SQL<number | null> {
  return sql<number | null>`coalesce(
    (select ${planPrices.planId} from ${planPrices} where ${eq(planPrices.stripePriceId, stripePriceId)}),
    (select ${plans.id} from ${plans} where ${eq(plans.stripePriceId, stripePriceId)}))`;
}
