import "server-only";
import { and, count, eq, isNotNull, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { plans, subscriptions, users, type SubscriptionStatus } from "@/db/schema";

/** Statuses in which a subscription is being paid for (or is owed): someone must own it. */
const LIVE: SubscriptionStatus[] = ["trialing", "active", "past_due", "unpaid"];
// Written out (not bound parameters) so the planner matches subscriptions_live_user_idx's predicate.
const isLive = sql`${subscriptions.status} in ${sql.raw(`(${LIVE.map((s) => `'${s}'`).join(", ")})`)}`;

export interface BillingChecks {
  /** Should stay empty: a paid subscription that no account can read with. */
  unlinked: Array<{ subscriptionId: string; customerId: string; status: string; plan: string | null; createdAt: Date }>;
  /** Usually a second purchase typed with the address of an existing account. */
  severalLive: Array<{ userId: string; email: string | null; live: number }>;
}

export async function billingChecks(db: Db): Promise<BillingChecks> {
  const several = db
    .select({ userId: subscriptions.userId, live: count().as("live") })
    .from(subscriptions)
    .where(and(isNotNull(subscriptions.userId), isLive))
    .groupBy(subscriptions.userId)
    .having(sql`count(*) > 1`)
    .as("several");
  const [unlinked, severalLive] = await Promise.all([
    db
      .select({
        subscriptionId: subscriptions.stripeSubscriptionId,
        customerId: subscriptions.stripeCustomerId,
        status: subscriptions.status,
        plan: plans.name,
        createdAt: subscriptions.stripeCreated,
      })
      .from(subscriptions)
      .leftJoin(plans, eq(plans.id, subscriptions.planId))
      .where(and(isNull(subscriptions.userId), isLive))
      .orderBy(subscriptions.stripeCreated)
      .limit(200),
    // Grouped from subscriptions_live_user_idx first; only the few accounts found are joined.
    db
      .select({ userId: users.id, email: users.email, live: several.live })
      .from(several)
      .innerJoin(users, eq(users.id, several.userId))
      .limit(200),
  ]);
  return { unlinked, severalLive };
}
