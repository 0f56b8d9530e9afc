import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { gifts } from "@/db/schema";

/**
 * The gifter revokes one of their own gifts (anyone else's id matches nothing). Gifts are never
 * cached: every request that carries one reads the row, so the next open anywhere is refused.
 */
export async function revokeOwnGift(db: Db, gifterUserId: string, giftId: number, now = new Date()): Promise<{ revoked: boolean }> {
  const rows = await db
    .update(gifts)
    .set({ revokedAt: now })
    .where(and(eq(gifts.id, giftId), eq(gifts.gifterUserId, gifterUserId), isNull(gifts.revokedAt)))
    .returning({ id: gifts.id });
  return { revoked: rows.length > 0 };
}
