import "server-only";
import { alias } from "drizzle-orm/pg-core";
import { and, count, countDistinct, eq, isNotNull, isNull, sql, type SQLWrapper } from "drizzle-orm";
import type { Db } from "@/db/client";
import { familyMembers, plans, subscriptions, users, type SubscriptionStatus } from "@/db/schema";

/** Statuses in which a subscription is being paid for (or is owed): someone must own it. */
const LIVE: SubscriptionStatus[] = ["trialing", "active", "past_due", "unpaid"];
// Written out (not bound parameters) so the planner matches subscriptions_live_user_idx's predicate.
const isLive = sql`${subscriptions.status} in ${sql.raw(`(${LIVE.map((s) => `'${s}'`).join(", ")})`)}`;

export interface BillingChecks {
  /** Should stay empty: a paid subscription that no account can read with. */
  unlinked: Array<{ subscriptionId: string; customerId: string; status: string; plan: string | null; createdAt: Date }>;
  /** Usually a second purchase typed with the address of an existing account. */
  severalLive: Array<{ userId: string; email: string | null; live: number; familyPlaces?: number }>;
}

export async function billingChecks(db: Db): Promise<BillingChecks> {
  const several = db
    .select({ userId: subscriptions.userId, live: count().as("live") })
    .from(subscriptions)
    .where(and(isNotNull(subscriptions.userId), isLive))
    .groupBy(subscriptions.userId)
    .having(sql`count(*) > 1`)
    .as("several");
  const [unlinked, severalLive, familyPayers] = await Promise.all([
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
    payingFamilyMembers(db),
  ]);
  // A family member who also pays their own: their place and their subscription both read.
  const byUser = new Map<string, BillingChecks["severalLive"][number]>(severalLive.map((a) => [a.userId, { ...a }]));
  for (const m of familyPayers) byUser.set(m.userId, { ...(byUser.get(m.userId) ?? { userId: m.userId, email: m.email, live: m.live }), familyPlaces: m.places });
  return { unlinked, severalLive: [...byUser.values()].slice(0, 200) };
}

const payer = alias(subscriptions, "payer_subscription");
const own = alias(subscriptions, "own_subscription");
const liveIn = (status: SQLWrapper) => sql`${status} in ${sql.raw(`(${LIVE.map((s) => `'${s}'`).join(", ")})`)}`;

/** Members of a live family subscription who pay for a live one of their own. */
function payingFamilyMembers(db: Db) {
  return db
    .select({ userId: users.id, email: users.email, live: countDistinct(own.stripeSubscriptionId), places: countDistinct(familyMembers.stripeSubscriptionId) })
    .from(familyMembers)
    .innerJoin(payer, and(eq(payer.stripeSubscriptionId, familyMembers.stripeSubscriptionId), liveIn(payer.status)))
    .innerJoin(own, and(eq(own.userId, familyMembers.userId), liveIn(own.status)))
    .innerJoin(users, eq(users.id, familyMembers.userId))
    .where(isNull(familyMembers.endedAt))
    .groupBy(users.id, users.email)
    .limit(200);
}
