import "server-only";
import { and, eq, inArray, ne } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { subscriptions, type SubscriptionStatus } from "@/db/schema";

/**
 * Statuses of a subscription that still bills or can be brought back by paying: a second one
 * bought beside it would charge the reader twice.
 */
export const LIVE_STATUSES: SubscriptionStatus[] = ["trialing", "active", "past_due", "unpaid", "paused"];

/** The account's live subscriptions, except `exceptId` (the one being settled). */
export async function liveSubscriptionsOf(db: Queryable, userId: string, exceptId?: string) {
  return db
    .select()
    .from(subscriptions)
    .where(and(eq(subscriptions.userId, userId), inArray(subscriptions.status, LIVE_STATUSES), exceptId ? ne(subscriptions.stripeSubscriptionId, exceptId) : undefined));
}

export async function hasLiveSubscription(db: Queryable, userId: string): Promise<boolean> {
  return (await liveSubscriptionsOf(db, userId)).length > 0;
}
