import "server-only";
import { eq } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { planPrices, plans } from "@/db/schema";

/** Which of our plans a Stripe price belongs to (current or archived price), if any. */
export async function planIdForPrice(db: Queryable, stripePriceId: string): Promise<number | null> {
  const [history] = await db.select({ planId: planPrices.planId }).from(planPrices).where(eq(planPrices.stripePriceId, stripePriceId));
  if (history) return history.planId;
  const [current] = await db.select({ id: plans.id }).from(plans).where(eq(plans.stripePriceId, stripePriceId));
  return current?.id ?? null;
}
