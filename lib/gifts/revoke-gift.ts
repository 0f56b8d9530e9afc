import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { gifts } from "@/db/schema";
import { announceChange } from "@/lib/cache/invalidation";

/**
 * The gifter revokes one of their own gifts (anyone else's id matches nothing). Announced in the
 * same transaction: every instance forgets the gift at commit, so its next open anywhere is refused.
 */
export async function revokeOwnGift(db: Db, gifterUserId: string, giftId: number, now = new Date()): Promise<{ revoked: boolean }> {
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(gifts)
      .set({ revokedAt: now })
      .where(and(eq(gifts.id, giftId), eq(gifts.gifterUserId, gifterUserId), isNull(gifts.revokedAt)))
      .returning({ id: gifts.id });
    if (rows[0]) await announceChange(tx, "gifts", giftId);
    return { revoked: rows.length > 0 };
  });
}
