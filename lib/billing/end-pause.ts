import "server-only";
/**
 * Ending a pause (docs/decisions/0022). Stripe's pause_collection voids the renewals it covers
 * and, when it is lifted (by the reader, by an admin in Stripe, or by itself at resumes_at),
 * bills nothing until the next renewal of the old cycle: the rest of a voided period would be
 * read for free. So a lifted pause whose current period is voided starts a new one here, a full
 * period from now, invoiced and charged at once; until that is paid there is no access.
 */
import Stripe from "stripe";
import type { Db } from "@/db/client";
import type { SubscriptionRow } from "@/db/schema";
import { stripe } from "./stripe-client";
import { pullSubscriptionFromStripe } from "./pull-subscription";

export type PauseEnd = "resumed" | "declined" | "nothing_to_do";

/** Whether the pause is over but the period it voided is still the current one. */
export function awaitsPaidPeriod(sub: Pick<SubscriptionRow, "status" | "paidThrough" | "collectionPaused">): boolean {
  return sub.status === "active" && sub.paidThrough !== null && !sub.collectionPaused;
}

/**
 * Lifts the pause now. A current period still paid for keeps its cycle (lifted before its first
 * voided renewal); a voided one is replaced by a paid period from now: `billing_cycle_anchor=now`
 * with no proration (the voided period has nothing to credit), and `error_if_incomplete`, so a
 * declined card changes nothing and the reader stays paused. Run under the subscription's lock
 * with Stripe's state read again under it: a double click, a second tab and the resume webhook
 * start one period, never two.
 */
export async function endPause(db: Db, subscriptionId: string): Promise<PauseEnd> {
  return db.transaction(async (tx) => {
    const row = await pullSubscriptionFromStripe(tx, subscriptionId, null);
    if (row.status !== "active" && row.status !== "trialing") return "nothing_to_do";
    if (row.paidThrough === null) {
      if (!row.collectionPaused) return "nothing_to_do";
      await stripe().subscriptions.update(subscriptionId, { pause_collection: "" });
    } else {
      try {
        await stripe().subscriptions.update(subscriptionId, {
          pause_collection: "",
          billing_cycle_anchor: { type: "now" },
          proration_behavior: "none",
          payment_behavior: "error_if_incomplete",
        });
      } catch (error) {
        if (error instanceof Stripe.errors.StripeCardError) return "declined";
        throw error;
      }
    }
    await pullSubscriptionFromStripe(tx, subscriptionId, null);
    return "resumed";
  });
}
