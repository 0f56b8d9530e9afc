import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { siteSettings } from "@/db/schema";
import { announceChange } from "@/lib/cache/invalidation";
import type { AdminActor } from "../shared/action";
import { recordAudit } from "../audit/record";
import { loadStoredSettings } from "./queries";
import type { SettingsForm } from "./form";

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
