import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "@/db/client";
import { gifts, plans } from "@/db/schema";
import type { AdminActor } from "@/lib/admin/shared/action";
import { recordAudit } from "@/lib/admin/audit/record";
import { lockSiteSettings, storeSiteSettings } from "@/lib/admin/settings/commands";
import { announceChange } from "@/lib/cache/invalidation";
import { hashGiftToken, publisherToken } from "@/lib/gifts/gift-token";
import type { ReadingSettings } from "@/lib/settings";
import type { planAllowanceSchema } from "./form";

/** Stores the gift settings and records the change in one transaction; every instance hears of it at commit. */
export async function saveGiftSettings(db: Db, actor: AdminActor, values: ReadingSettings["gift"]): Promise<{ changed: boolean }> {
  return db.transaction(async (tx) => {
    const row = await lockSiteSettings(tx);
    const before = row && { validDays: row.giftValidDays, browserLimit: row.giftBrowserLimit };
    if (before?.validDays === values.validDays && before.browserLimit === values.browserLimit) return { changed: false };
    await storeSiteSettings(tx, { giftValidDays: values.validDays, giftBrowserLimit: values.browserLimit });
    await recordAudit(tx, { actor, action: "gift-settings.update", targetType: "site_settings", targetId: 1, before: before ?? null, after: values });
    return { changed: true };
  });
}

/** Sets a plan's allowance; it applies to this month's remaining gifts at once (nothing is cached). */
export async function setPlanGiftAllowance(db: Db, admin: AdminActor, input: z.infer<typeof planAllowanceSchema>): Promise<{ found: boolean }> {
  return db.transaction(async (tx) => {
    const [before] = await tx.select({ giftAllowance: plans.giftAllowance }).from(plans).where(eq(plans.id, input.planId)).for("update");
    if (!before) return { found: false };
    await tx.update(plans).set({ giftAllowance: input.giftAllowance, updatedAt: sql`now()` }).where(eq(plans.id, input.planId));
    await recordAudit(tx, { actor: admin, action: "plan.gift-allowance", targetType: "plan", targetId: input.planId, before, after: { giftAllowance: input.giftAllowance } });
    return { found: true };
  });
}

/** An admin revokes any gift (say, one posted on a public forum), audited; it stops on the next request everywhere. */
export async function revokeGiftAsAdmin(db: Db, admin: AdminActor, giftId: number, now = new Date()): Promise<{ revoked: boolean }> {
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(gifts)
      .set({ revokedAt: now })
      .where(and(eq(gifts.id, giftId), isNull(gifts.revokedAt)))
      .returning({ id: gifts.id, articleId: gifts.articleId, kind: gifts.kind });
    if (rows[0]) await announceChange(tx, "gifts", giftId);
    if (rows[0]) await recordAudit(tx, { actor: admin, action: "gift.revoke", targetType: "gift", targetId: giftId, before: rows[0], after: { revokedAt: now } });
    return { revoked: rows.length > 0 };
  });
}

const livePublisher = (articleId: number) => and(eq(gifts.articleId, articleId), eq(gifts.kind, "publisher"), isNull(gifts.revokedAt));

/**
 * Makes the article's publisher link, replacing (revoking) the live one: the old link stops at once.
 * One live link per article is also a unique index, so two admins rotating at once cannot leave two.
 */
export async function rotatePublisherLink(db: Db, admin: AdminActor, articleId: number, now = new Date()): Promise<{ id: number; token: string }> {
  return db.transaction(async (tx) => {
    // Two admins rotating at once: the second waits, then replaces the first one's new link.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`masthead:publisher-link:${articleId}`}, 0))`);
    const old = await tx.update(gifts).set({ revokedAt: now }).where(livePublisher(articleId)).returning({ id: gifts.id });
    for (const { id } of old) await announceChange(tx, "gifts", id);
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

/** The article's publisher link stops at once. */
export async function revokePublisherLink(db: Db, admin: AdminActor, articleId: number, now = new Date()): Promise<{ revoked: number }> {
  return db.transaction(async (tx) => {
    const rows = await tx.update(gifts).set({ revokedAt: now }).where(livePublisher(articleId)).returning({ id: gifts.id });
    for (const { id } of rows) await announceChange(tx, "gifts", id);
    if (rows.length > 0) await recordAudit(tx, { actor: admin, action: "gift-link.revoke", targetType: "article", targetId: articleId, before: { giftId: rows[0]!.id }, after: null });
    return { revoked: rows.length };
  });
}

/** Every live publisher link, site-wide, stops at once. Subscribers' gifts are left alone. */
export async function revokeAllPublisherLinks(db: Db, admin: AdminActor, now = new Date()): Promise<{ revoked: number }> {
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(gifts)
      .set({ revokedAt: now })
      .where(and(eq(gifts.kind, "publisher"), isNull(gifts.revokedAt)))
      .returning({ id: gifts.id });
    await announceChange(tx, "gifts");
    await recordAudit(tx, { actor: admin, action: "gift-link.revoke-all", targetType: "site", targetId: null, before: { live: rows.length }, after: { live: 0 } });
    return { revoked: rows.length };
  });
}
