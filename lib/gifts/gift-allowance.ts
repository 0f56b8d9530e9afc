import "server-only";
import { and, eq, gte, lt, sql } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { gifts, grants, plans, subscriptions } from "@/db/schema";
import { grantEntitlement, subscriptionEntitlement } from "@/lib/access/entitlement";
import { env } from "@/lib/env";
import type { GiftMonth } from "./gift-month";

/** What a reader with a grant (no plan) may give away per month. */
export const DEFAULT_GIFT_ALLOWANCE = 10;

/**
 * How many articles this user may give away per month: the largest allowance among the plans of
 * their live subscriptions; a grant without a plan gets the default; null when nothing entitles them now.
 */
export async function giftAllowanceFor(db: Queryable, userId: string, now: Date): Promise<number | null> {
  const [subs, ownGrants] = await Promise.all([
    db
      .select({ sub: subscriptions, allowance: plans.giftAllowance })
      .from(subscriptions)
      .leftJoin(plans, eq(plans.id, subscriptions.planId))
      .where(eq(subscriptions.userId, userId)),
    db.select().from(grants).where(eq(grants.userId, userId)),
  ]);
  const graceDays = env().BILLING_GRACE_DAYS;
  const allowances = [
    ...subs.filter((s) => subscriptionEntitlement(s.sub, now, graceDays) !== null).map((s) => s.allowance ?? DEFAULT_GIFT_ALLOWANCE),
    ...ownGrants.filter((g) => grantEntitlement(g, now) !== null).map(() => DEFAULT_GIFT_ALLOWANCE),
  ];
  return allowances.length === 0 ? null : Math.max(...allowances);
}

/** The articles a user gave this month (revoked gifts included: revoking does not refund), and whether `articleId` is one. */
export async function giftsGivenIn(db: Queryable, userId: string, month: GiftMonth, articleId?: number): Promise<{ used: number; regift: boolean }> {
  const [row] = await db
    .select({
      used: sql<number>`count(distinct ${gifts.articleId})::int`,
      regift: sql<boolean>`coalesce(bool_or(${gifts.articleId} = ${articleId ?? -1}), false)`,
    })
    .from(gifts)
    .where(and(eq(gifts.gifterUserId, userId), eq(gifts.kind, "subscriber"), gte(gifts.createdAt, month.start), lt(gifts.createdAt, month.next)));
  return { used: Number(row?.used ?? 0), regift: row?.regift === true };
}
