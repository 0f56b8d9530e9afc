import "server-only";
/**
 * The save offer's allowance (docs/decisions/0022): accepted at most once per subscription and
 * at most once per account in 12 months. The claim is a row, written in its own transaction
 * before Stripe is called: a replayed POST, a second tab or a double click finds it and calls
 * nothing. Showing the cancel screen only reads.
 */
import { and, eq, gt, or } from "drizzle-orm";
import type { Db } from "@/db/client";
import { retentionAcceptances, users } from "@/db/schema";
import { addMonths } from "./retention-terms";

/** How long an account waits after accepting a save offer before it may accept another. */
export const RETENTION_ALLOWANCE_MONTHS = 12;

const usedWhere = (userId: string, subscriptionId: string, now: Date) =>
  or(
    eq(retentionAcceptances.stripeSubscriptionId, subscriptionId),
    and(eq(retentionAcceptances.userId, userId), gt(retentionAcceptances.acceptedAt, addMonths(now, -RETENTION_ALLOWANCE_MONTHS))),
  );

/** Whether this subscription, or this account within the allowance, has taken a save offer already. */
export async function retentionUsed(db: Db, userId: string, subscriptionId: string, now: Date): Promise<boolean> {
  const [used] = await db.select({ id: retentionAcceptances.id }).from(retentionAcceptances).where(usedWhere(userId, subscriptionId, now)).limit(1);
  return used !== undefined;
}

/**
 * Claims the save offer for this subscription; false when it or the account has used it. The
 * account's row lock serialises two claims of one account (two subscriptions, two tabs); the
 * unique subscription key stops a second claim of one subscription even without it.
 */
export async function claimRetention(db: Db, userId: string, subscriptionId: string, kind: "discount" | "pause", now: Date): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for("update");
    const [used] = await tx.select({ id: retentionAcceptances.id }).from(retentionAcceptances).where(usedWhere(userId, subscriptionId, now)).limit(1);
    if (used) return false;
    const inserted = await tx
      .insert(retentionAcceptances)
      .values({ userId, stripeSubscriptionId: subscriptionId, kind, acceptedAt: now })
      .onConflictDoNothing()
      .returning({ id: retentionAcceptances.id });
    return inserted.length === 1;
  });
}
