import "server-only";
import { and, asc, eq, isNull, or, ne } from "drizzle-orm";
import type { Db } from "@/db/client";
import { familyMembers, plans, subscriptions } from "@/db/schema";
import type { FamilyShare } from "./family";
import { subscriptionFactColumns } from "./subscription-facts";

/** The places a reader holds in payers' family subscriptions, whatever their states (the access trace's view; the gate reads them with the session). */
export async function loadFamilyShares(db: Db, userId: string): Promise<FamilyShare[]> {
  const rows = await db
    .select({ id: subscriptions.stripeSubscriptionId, payerUserId: subscriptions.userId, accounts: plans.familyAccounts, placeEndedAt: familyMembers.endedAt, ...subscriptionFactColumns })
    .from(familyMembers)
    .innerJoin(subscriptions, eq(subscriptions.stripeSubscriptionId, familyMembers.stripeSubscriptionId))
    .leftJoin(plans, eq(plans.id, subscriptions.planId))
    // A place the member left is gone; one the payer removed is kept, so the reader is told.
    .where(and(eq(familyMembers.userId, userId), or(isNull(familyMembers.endedBy), ne(familyMembers.endedBy, "member"))))
    .orderBy(asc(familyMembers.joinedAt));
  return rows.map(({ id, payerUserId, accounts, placeEndedAt, ...facts }) => ({ stripeSubscriptionId: id, payerUserId, familyAccounts: accounts, removed: placeEndedAt !== null, facts }));
}
