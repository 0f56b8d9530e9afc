import "server-only";
import { eq, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { siteSettings } from "@/db/schema";
import { announceChange } from "@/lib/cache/invalidation";
import type { AdminActor } from "../shared/action";
import { recordAudit } from "../audit/record";
import { loadStoredSettings } from "./queries";
import type { SiteSettingsInput } from "./form";

/** Stores the settings in row 1 and records the change, in one transaction; every instance hears of it at commit. */
export async function saveSiteSettings(db: Db, actor: AdminActor, values: SiteSettingsInput): Promise<{ changed: boolean }> {
  return db.transaction(async (tx) => {
    const before = await loadStoredSettings(tx, { forUpdate: true });
    const changed = (Object.keys(values) as Array<keyof SiteSettingsInput>).some((key) => values[key] !== before[key]);
    if (!changed) return { changed: false };
    await storeSiteSettings(tx, values);
    await recordAudit(tx, { actor, action: "settings.update", targetType: "site_settings", targetId: 1, before, after: values });
    return { changed: true };
  });
}

/** The one site_settings row, locked until the transaction ends; undefined before the first save. */
export async function lockSiteSettings(tx: Tx): Promise<typeof siteSettings.$inferSelect | undefined> {
  const [row] = await tx.select().from(siteSettings).where(eq(siteSettings.id, 1)).for("update");
  return row;
}

/** Writes columns of the one site_settings row (made by the first save); every instance hears of it at commit. */
export async function storeSiteSettings(tx: Tx, columns: Omit<typeof siteSettings.$inferInsert, "id" | "updatedAt">): Promise<void> {
  await tx
    .insert(siteSettings)
    .values({ id: 1, ...columns })
    .onConflictDoUpdate({ target: siteSettings.id, set: { ...columns, updatedAt: sql`now()` } });
  await announceChange(tx, "settings");
}
