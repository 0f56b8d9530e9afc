import "server-only";
import { eq, sql } from "drizzle-orm";
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
  | { ok: true; token: string; giftId: number; regift: boolean; left: number; allowance: number; nextBatch: Date; expiresAt: Date }
  | { ok: false; reason: "not-entitled" }
  | { ok: false; reason: "used-up"; allowance: number; nextBatch: Date };

const DAY_MS = 86_400_000;

/**
 * Gives an article away: a new link (a new token) every time, charged to this month's allowance
 * unless this article was already given this month. The gifter's gifts are serialised by a
 * transaction-scoped advisory lock, so concurrent requests cannot pass the allowance.
 */
export async function issueGift(db: Db, input: GiftRequestInput): Promise<IssueResult> {
  const month = giftMonth(input.now, input.timeZone);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`masthead:gifts:${input.userId}`}, 0))`);
    const allowance = await giftAllowanceFor(tx, input.userId, input.now);
    if (allowance === null) return { ok: false, reason: "not-entitled" };
    const { used, regift } = await giftsGivenIn(tx, input.userId, month, input.articleId);
    if (!regift && used >= allowance) return { ok: false, reason: "used-up", allowance, nextBatch: month.next };

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
      })
      .returning({ id: gifts.id });
    const left = allowance - used - (regift ? 0 : 1);
    return { ok: true, token, giftId: row!.id, regift, left, allowance, nextBatch: month.next, expiresAt };
  });
}
