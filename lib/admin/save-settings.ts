import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { siteSettings } from "@/db/schema";
import { announceChange } from "@/lib/cache/invalidation";
import type { AdminActor } from "./admin-action";
import { recordAudit } from "./audit";
import type { SettingsForm } from "./settings-form";

/** Nothing stored: every setting falls back to its env default. */
export const DEFAULT_STORED_SETTINGS: SettingsForm = {
  meterAnonymousLimit: null,
  meterRegisteredLimit: null,
  meterWindowDays: null,
  defaultLeadInBlocks: null,
  paywallHeading: null,
  paywallBody: null,
};

/** What the publisher has stored (null = the env default), as the form and the audit log see it. */
export async function loadStoredSettings(db: Db, options: { forUpdate?: boolean } = {}): Promise<SettingsForm> {
  const query = db
    .select({
      meterAnonymousLimit: siteSettings.meterAnonymousLimit,
      meterRegisteredLimit: siteSettings.meterRegisteredLimit,
      meterWindowDays: siteSettings.meterWindowDays,
      defaultLeadInBlocks: siteSettings.defaultLeadInBlocks,
      paywallHeading: siteSettings.paywallHeading,
      paywallBody: siteSettings.paywallBody,
    })
    .from(siteSettings)
    .where(eq(siteSettings.id, 1));
  const [row] = options.forUpdate ? await query.for("update") : await query;
  return row ?? DEFAULT_STORED_SETTINGS;
}

/** Stores the settings in row 1 and records the change, in one transaction; every instance hears of it at commit. */
export async function saveSettings(db: Db, actor: AdminActor, values: SettingsForm): Promise<{ changed: boolean }> {
  return db.transaction(async (tx) => {
    const before = await loadStoredSettings(tx, { forUpdate: true });
    const changed = (Object.keys(values) as Array<keyof SettingsForm>).some((key) => values[key] !== before[key]);
    if (!changed) return { changed: false };
    await tx
      .insert(siteSettings)
      .values({ id: 1, ...values })
      .onConflictDoUpdate({ target: siteSettings.id, set: { ...values, updatedAt: sql`now()` } });
    await announceChange(tx, "settings");
    await recordAudit(tx, { actor, action: "settings.update", targetType: "site_settings", targetId: 1, before, after: values });
    return { changed: true };
  });
}
