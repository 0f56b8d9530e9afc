import "server-only";
/**
 * Who may have a trial or a new-customer offer (docs/decisions/0024): decided for the account
 * that owns the subscription, from our rows (every subscription of every customer of the
 * account, whichever way it was bought). A new customer has had no subscription before; a trial
 * is had once per account, ever. "Before" a subscription means created earlier on Stripe's clock
 * (ties by id), so of two checkouts racing for one account exactly the first keeps its terms.
 */
import { and, eq, isNotNull, or, sql, type SQL } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { subscriptions } from "@/db/schema";

/** The subscription being settled, to judge the account's history before it; none before Checkout. */
export type Before = { stripeSubscriptionId: string; stripeCreated: Date } | null;

function earlierThan(before: Before): SQL | undefined {
  if (!before) return undefined;
  return or(
    sql`${subscriptions.stripeCreated} < ${before.stripeCreated.toISOString()}::timestamptz`,
    and(sql`${subscriptions.stripeCreated} = ${before.stripeCreated.toISOString()}::timestamptz`, sql`${subscriptions.stripeSubscriptionId} < ${before.stripeSubscriptionId}`),
  );
}

/** Whether the account has had no subscription (before `before`). */
export async function isNewCustomer(db: Queryable, userId: string, before: Before = null): Promise<boolean> {
  const [earlier] = await db
    .select({ id: subscriptions.stripeSubscriptionId })
    .from(subscriptions)
    .where(and(eq(subscriptions.userId, userId), earlierThan(before)))
    .limit(1);
  return !earlier;
}

/** Whether the account has never had a trial (before `before`): one trial per account, ever. */
export async function mayHaveTrial(db: Queryable, userId: string, before: Before = null): Promise<boolean> {
  const [earlier] = await db
    .select({ id: subscriptions.stripeSubscriptionId })
    .from(subscriptions)
    .where(and(eq(subscriptions.userId, userId), isNotNull(subscriptions.trialEnd), earlierThan(before)))
    .limit(1);
  return !earlier;
}
