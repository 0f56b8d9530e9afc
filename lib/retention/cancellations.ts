/** The admin's view of cancellations made on our site: the latest ones, with the reason given. */
import { desc, eq, isNotNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { plans, subscriptions, users } from "@/db/schema";
import { CANCEL_REASONS } from "./cancel-flow";

export async function recentCancellations(db: Db, limit = 20) {
  const rows = await db
    .select({ id: subscriptions.stripeSubscriptionId, email: users.email, plan: plans.name, reason: subscriptions.cancelReason, canceledAt: subscriptions.canceledAt, offered: subscriptions.retentionOfferedAt })
    .from(subscriptions)
    .leftJoin(users, eq(users.id, subscriptions.userId))
    .leftJoin(plans, eq(plans.id, subscriptions.planId))
    .where(isNotNull(subscriptions.cancelReason))
    .orderBy(desc(subscriptions.canceledAt))
    .limit(limit);
  return rows.map((r) => ({ ...r, reason: CANCEL_REASONS[r.reason as keyof typeof CANCEL_REASONS] ?? "No reason given" }));
}
