import "server-only";
import type { Db } from "@/db/client";
import { env } from "@/lib/env";
import { loadReadingSettings } from "@/lib/settings";
import { eq } from "drizzle-orm";
import { siteSettings } from "@/db/schema";
import type { SiteSettingsInput } from "./form";

/** Nothing stored: every setting falls back to its env default. */
export const DEFAULT_STORED_SETTINGS: SiteSettingsInput = {
  meterAnonymousLimit: null,
  meterRegisteredLimit: null,
  meterWindowDays: null,
  defaultLeadInBlocks: null,
  paywallHeading: null,
  paywallBody: null,
  paywallButton: null,
};

/** What the publisher has stored (null = the env default), as the form and the audit log see it. */
export async function loadStoredSettings(db: Db, options: { forUpdate?: boolean } = {}): Promise<SiteSettingsInput> {
  const query = db
    .select({
      meterAnonymousLimit: siteSettings.meterAnonymousLimit,
      meterRegisteredLimit: siteSettings.meterRegisteredLimit,
      meterWindowDays: siteSettings.meterWindowDays,
      defaultLeadInBlocks: siteSettings.defaultLeadInBlocks,
      paywallHeading: siteSettings.paywallHeading,
      paywallBody: siteSettings.paywallBody,
      paywallButton: siteSettings.paywallButton,
    })
    .from(siteSettings)
    .where(eq(siteSettings.id, 1));
  const [row] = options.forUpdate ? await query.for("update") : await query;
  return row ?? DEFAULT_STORED_SETTINGS;
}

export interface SettingView {
  name: keyof SiteSettingsInput;
  stored: string;
  effective: string;
  /** The value a blank field falls back to, when it is known here (the env defaults). */
  fallback: string | null;
}

/** Each setting as the form shows it: what is stored, what applies now, and what blank means. */
export async function siteSettingsView(db: Db): Promise<SettingView[]> {
  // Read now, not from the reading path's cache: the admin sees what the next page view will use.
  const [stored, effective] = await Promise.all([loadStoredSettings(db), loadReadingSettings(db)]);
  const e = env();
  const row = (name: keyof SiteSettingsInput, now: string | number, fallback: number | null): SettingView => ({
    name,
    stored: stored[name]?.toString() ?? "",
    effective: String(now),
    fallback: fallback === null ? null : String(fallback),
  });
  return [
    row("meterAnonymousLimit", effective.policy.anonymousLimit, e.METER_ANONYMOUS_LIMIT),
    row("meterRegisteredLimit", effective.policy.registeredLimit, e.METER_REGISTERED_LIMIT),
    row("meterWindowDays", effective.policy.windowDays, e.METER_WINDOW_DAYS),
    row("defaultLeadInBlocks", effective.defaultLeadInBlocks, e.LEAD_IN_BLOCKS),
    row("paywallHeading", effective.paywallHeading, null),
    row("paywallBody", effective.paywallBody, null),
    row("paywallButton", effective.paywallButton, null),
  ];
}
