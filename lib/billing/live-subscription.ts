import "server-only";
import { and, eq, inArray, ne } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { subscriptions } from "@/db/schema";
import { LIVE_STATUSES } from "@/lib/access/entitlement";

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
