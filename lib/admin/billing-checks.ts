import { and, count, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { plans, subscriptions, users, type SubscriptionStatus } from "@/db/schema";

/** Statuses in which a subscription is being paid for (or is owed): someone must own it. */
const LIVE: SubscriptionStatus[] = ["trialing", "active", "past_due", "unpaid"];

export interface BillingChecks {
  /** Should stay empty: a paid subscription that no account can read with. */
  unlinked: Array<{ subscriptionId: string; customerId: string; status: string; plan: string | null; createdAt: Date }>;
  /** Usually a second purchase typed with the address of an existing account. */
  severalLive: Array<{ userId: string; email: string | null; live: number }>;
}

export async function billingChecks(db: Db): Promise<BillingChecks> {
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
      .where(and(isNull(subscriptions.userId), inArray(subscriptions.status, LIVE)))
      .orderBy(subscriptions.stripeCreated)
      .limit(200),
    db
      .select({ userId: users.id, email: users.email, live: count() })
      .from(subscriptions)
      .innerJoin(users, eq(users.id, subscriptions.userId))
      .where(inArray(subscriptions.status, LIVE))
      .groupBy(users.id, users.email)
      .having(sql`count(*) > 1`)
      .limit(200),
  ]);
  return { unlinked, severalLive };
}
