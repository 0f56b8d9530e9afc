import "server-only";
import { asc, desc, eq, isNotNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { offers, plans, subscriptions, users, type Offer } from "@/db/schema";
import { CANCEL_REASONS } from "@/lib/retention/cancel-flow";

export interface AdminOffer extends Offer {
  /** Subscriptions bought with it (any status). */
  subscriptions: number;
}

/** Live offers first (newest first), then archived ones. */
export async function listOffersForAdmin(db: Db): Promise<AdminOffer[]> {
  const [rows, counts] = await Promise.all([
    db.select().from(offers).orderBy(sql`${offers.archivedAt} is not null`, desc(offers.id)),
    db
      .select({ offerId: subscriptions.offerId, n: sql<number>`count(*)::int` })
      .from(subscriptions)
      .where(sql`${subscriptions.offerId} is not null`)
      .groupBy(subscriptions.offerId),
  ]);
  const by = new Map(counts.map((c) => [c.offerId, Number(c.n)]));
  return rows.map((offer) => ({ ...offer, subscriptions: by.get(offer.id) ?? 0 }));
}

/** The plans an offer can be made for: those on sale. */
export async function activePlansForOffers(db: Db) {
  return db.select().from(plans).where(eq(plans.active, true)).orderBy(asc(plans.sortOrder), asc(plans.id));
}

/** The latest cancellations made on our site, with the reason given. */
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
