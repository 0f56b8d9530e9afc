import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { siteSettings } from "@/db/schema";
import type { AdminActor } from "@/lib/admin/admin-action";
import { recordAudit } from "@/lib/admin/audit";
import { announceChange } from "@/lib/cache/invalidation";
import type { ReadingSettings } from "@/lib/settings";

/** What a comp (a grant without a plan) may give away per month. */
export const DEFAULT_GIFT_ALLOWANCE = 10;

/** Read with the reading settings (one row, cached until a save is announced): the gate pays no query for them. */
export type GiftSettings = ReadingSettings["gift"];

export const giftSettingsSchema = z.object({
  validDays: z.coerce.number<unknown>({ error: "Enter a number of days" }).int().min(1, "At least 1 day").max(365, "At most 365 days"),
  browserLimit: z.coerce.number<unknown>({ error: "Enter a number of browsers" }).int().min(1, "At least 1 browser").max(10_000, "At most 10,000"),
});

/** Stores the gift settings and records the change in one transaction; every instance hears of it at commit. */
export async function saveGiftSettings(db: Db, actor: AdminActor, values: GiftSettings): Promise<{ changed: boolean }> {
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select({ validDays: siteSettings.giftValidDays, browserLimit: siteSettings.giftBrowserLimit })
      .from(siteSettings)
      .where(eq(siteSettings.id, 1))
      .for("update");
    if (before?.validDays === values.validDays && before.browserLimit === values.browserLimit) return { changed: false };
    const columns = { giftValidDays: values.validDays, giftBrowserLimit: values.browserLimit };
    await tx
      .insert(siteSettings)
      .values({ id: 1, ...columns })
      .onConflictDoUpdate({ target: siteSettings.id, set: { ...columns, updatedAt: sql`now()` } });
    await announceChange(tx, "settings");
    await recordAudit(tx, { actor, action: "gift-settings.update", targetType: "site_settings", targetId: 1, before: before ?? null, after: values });
    return { changed: true };
  });
}
