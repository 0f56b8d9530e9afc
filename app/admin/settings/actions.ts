"use server";

import { refresh } from "next/cache";
import { getDb } from "@/db/client";
import { adminAction, type ActionResult } from "@/lib/admin/shared/action";
import { saveSiteSettings } from "@/lib/admin/settings/commands";
import { siteSettingsSchema } from "@/lib/admin/settings/form";

/** Stores the meter and paywall settings; the next request, on any instance, reads them (no restart). */
export const saveSiteSettingsAction = adminAction(siteSettingsSchema, async (values, admin): Promise<ActionResult> => {
  const { changed } = await saveSiteSettings(await getDb(), admin, values);
  refresh(); // The page shows the effective values again.
  return { ok: true, message: changed ? "Settings saved. They apply from the next page view." : "Nothing changed." };
});
