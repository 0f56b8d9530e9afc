import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { gifts } from "@/db/schema";
import type { AdminActor } from "@/lib/admin/admin-action";
import { recordAudit } from "@/lib/admin/audit";
import { hashGiftToken, publisherToken } from "./gift-token";

const live = (articleId: number) => and(eq(gifts.articleId, articleId), eq(gifts.kind, "publisher"), isNull(gifts.revokedAt));

/** An article's live publisher link (no expiry, no browser limit), with its token and counted opens. */
export async function livePublisherLink(db: Db, articleId: number): Promise<{ id: number; token: string; opens: number; createdAt: Date } | null> {
  const [row] = await db
    .select({ id: gifts.id, opens: gifts.browsersOpened, createdAt: gifts.createdAt })
    .from(gifts)
    .where(live(articleId));
  return row ? { ...row, token: publisherToken(row.id) } : null;
}

/**
 * Makes the article's publisher link, replacing (revoking) the live one: the old link stops at once.
 * One live link per article is also a unique index, so two admins rotating at once cannot leave two.
 */
export async function rotatePublisherLink(db: Db, admin: AdminActor, articleId: number, now = new Date()): Promise<{ id: number; token: string }> {
  return db.transaction(async (txn) => {
    const tx = txn as unknown as Db;
    // Two admins rotating at once: the second waits, then replaces the first one's new link.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`masthead:publisher-link:${articleId}`}, 0))`);
    const old = await tx.update(gifts).set({ revokedAt: now }).where(live(articleId)).returning({ id: gifts.id });
    // The token depends on the row's id, so the row is made first with a placeholder hash.
    const [row] = await tx
      .insert(gifts)
      .values({ tokenHash: `pending:${articleId}:${now.getTime()}:${Math.random()}`, kind: "publisher", articleId, createdAt: now })
      .returning({ id: gifts.id });
    const token = publisherToken(row!.id);
    await tx.update(gifts).set({ tokenHash: hashGiftToken(token) }).where(eq(gifts.id, row!.id));
    await recordAudit(tx, {
      actor: admin,
      action: old.length > 0 ? "gift-link.rotate" : "gift-link.create",
      targetType: "article",
      targetId: articleId,
      before: old.length > 0 ? { giftId: old[0]!.id } : null,
      after: { giftId: row!.id },
    });
    return { id: row!.id, token };
  });
}

export async function revokePublisherLink(db: Db, admin: AdminActor, articleId: number, now = new Date()): Promise<{ revoked: number }> {
  return db.transaction(async (txn) => {
    const tx = txn as unknown as Db;
    const rows = await tx.update(gifts).set({ revokedAt: now }).where(live(articleId)).returning({ id: gifts.id });
    if (rows.length > 0) await recordAudit(tx, { actor: admin, action: "gift-link.revoke", targetType: "article", targetId: articleId, before: { giftId: rows[0]!.id }, after: null });
    return { revoked: rows.length };
  });
}

/** Every live publisher link, site-wide, stops at once. Subscribers' gifts are left alone. */
export async function revokeAllPublisherLinks(db: Db, admin: AdminActor, now = new Date()): Promise<{ revoked: number }> {
  return db.transaction(async (txn) => {
    const tx = txn as unknown as Db;
    const rows = await tx
      .update(gifts)
      .set({ revokedAt: now })
      .where(and(eq(gifts.kind, "publisher"), isNull(gifts.revokedAt)))
      .returning({ id: gifts.id });
    await recordAudit(tx, { actor: admin, action: "gift-link.revoke-all", targetType: "site", targetId: null, before: { live: rows.length }, after: { live: 0 } });
    return { revoked: rows.length };
  });
}
