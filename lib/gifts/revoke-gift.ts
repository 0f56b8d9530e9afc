import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { gifts } from "@/db/schema";
import type { AdminActor } from "@/lib/admin/admin-action";
import { recordAudit } from "@/lib/admin/audit";

/**
 * Revokes one gift: by its gifter (`gifterUserId`) or by an admin (`admin`). There is no cache of
 * gifts: every request that carries one checks the row, so the next open anywhere is refused.
 */
export async function revokeGift(
  db: Db,
  giftId: number,
  by: { gifterUserId: string } | { admin: AdminActor },
  now = new Date(),
): Promise<{ revoked: boolean }> {
  return db.transaction(async (txn) => {
    const tx = txn as unknown as Db;
    const owner = "gifterUserId" in by ? eq(gifts.gifterUserId, by.gifterUserId) : sql`true`;
    const rows = await tx
      .update(gifts)
      .set({ revokedAt: now })
      .where(and(eq(gifts.id, giftId), isNull(gifts.revokedAt), owner))
      .returning({ id: gifts.id, articleId: gifts.articleId, kind: gifts.kind });
    if (rows.length > 0 && "admin" in by) {
      await recordAudit(tx, { actor: by.admin, action: "gift.revoke", targetType: "gift", targetId: giftId, before: rows[0], after: { revokedAt: now } });
    }
    return { revoked: rows.length > 0 };
  });
}
