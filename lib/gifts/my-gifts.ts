import "server-only";
import { desc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { articles, giftOpens, gifts } from "@/db/schema";
import { giftAllowanceFor, giftsGivenIn } from "./gift-allowance";
import { giftMonth } from "./gift-month";

/** A subscriber's own gifts, newest first, and what is left of this month's allowance (null when not entitled). */
export async function myGifts(db: Db, userId: string, now: Date, timeZone: string) {
  const month = giftMonth(now, timeZone);
  const [allowance, given, rows] = await Promise.all([
    giftAllowanceFor(db, userId, now),
    giftsGivenIn(db, userId, month),
    db
      .select({
        id: gifts.id,
        title: articles.title,
        slug: articles.slug,
        createdAt: gifts.createdAt,
        expiresAt: gifts.expiresAt,
        revokedAt: gifts.revokedAt,
        // Per link: a re-gift's browsers are counted on its pool's first link (issue-gift.ts).
        opens: sql<number>`(select count(*) from ${giftOpens} where ${giftOpens.giftId} = ${gifts.id} and ${giftOpens.admitted})`.mapWith(Number),
      })
      .from(gifts)
      .innerJoin(articles, eq(articles.id, gifts.articleId))
      .where(eq(gifts.gifterUserId, userId))
      .orderBy(desc(gifts.createdAt), desc(gifts.id))
      .limit(100),
  ]);
  const left = allowance === null ? null : Math.max(0, allowance - given.used);
  return { left, nextBatch: month.next, gifts: rows };
}
