import "server-only";
import { and, asc, eq, gte, lt, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { gifts, users } from "@/db/schema";
import { giftAllowanceFor, giftsGivenIn } from "./gift-allowance";
import { giftMonth } from "./gift-month";
import { hashGiftToken, newGiftToken } from "./gift-token";

export interface GiftRequestInput {
  userId: string;
  articleId: number;
  senderName: string | null;
  now: Date;
  timeZone: string;
  validDays: number;
}

export type IssueResult =
  | {
      ok: true;
      token: string;
      giftId: number;
      regift: boolean;
      left: number;
      allowance: number;
      nextBatch: Date;
      expiresAt: Date;
      /** Browsers this gifter's links to this article let in this month, before this link. */
      browsersUsed: number;
    }
  | { ok: false; reason: "not-entitled" }
  | { ok: false; reason: "used-up"; allowance: number; nextBatch: Date };

const DAY_MS = 86_400_000;

/**
 * Gives an article away: a new link (a new token) every time, charged to this month's allowance
 * unless this article was already given this month. A re-gift's link joins the pool of the month's
 * first link to the article, so all of them share one browser limit (a new link never resets it).
 * The gifter's gifts are serialised by a transaction-scoped advisory lock, so concurrent requests
 * cannot pass the allowance nor start two pools.
 */
export async function issueGift(db: Db, input: GiftRequestInput): Promise<IssueResult> {
  const month = giftMonth(input.now, input.timeZone);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`masthead:gifts:${input.userId}`}, 0))`);
    const allowance = await giftAllowanceFor(tx, input.userId, input.now);
    if (allowance === null) return { ok: false, reason: "not-entitled" };
    const { used, regift } = await giftsGivenIn(tx, input.userId, month, input.articleId);
    if (!regift && used >= allowance) return { ok: false, reason: "used-up", allowance, nextBatch: month.next };

    const [pool] = regift
      ? await tx
          .select({ id: sql<number>`coalesce(${gifts.poolGiftId}, ${gifts.id})`.mapWith(Number), browsersUsed: gifts.browsersOpened })
          .from(gifts)
          .where(
            and(
              eq(gifts.gifterUserId, input.userId),
              eq(gifts.articleId, input.articleId),
              eq(gifts.kind, "subscriber"),
              gte(gifts.createdAt, month.start),
              lt(gifts.createdAt, month.next),
            ),
          )
          .orderBy(asc(gifts.createdAt), asc(gifts.id))
          .limit(1)
      : [];
    const [gifter] = await tx.select({ name: users.name }).from(users).where(eq(users.id, input.userId));
    const token = newGiftToken();
    const expiresAt = new Date(input.now.getTime() + input.validDays * DAY_MS);
    const [row] = await tx
      .insert(gifts)
      .values({
        tokenHash: hashGiftToken(token),
        kind: "subscriber",
        articleId: input.articleId,
        gifterUserId: input.userId,
        senderName: input.senderName ?? gifter?.name?.trim().split(/\s+/)[0] ?? null,
        createdAt: input.now,
        expiresAt,
        poolGiftId: pool?.id ?? null,
      })
      .returning({ id: gifts.id });
    const left = allowance - used - (regift ? 0 : 1);
    return { ok: true, token, giftId: row!.id, regift, left, allowance, nextBatch: month.next, expiresAt, browsersUsed: pool?.browsersUsed ?? 0 };
  });
}
