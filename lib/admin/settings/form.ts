import { z } from "zod";
import { optionalWholeNumber } from "../shared/form-fields";

// A blank field stores null: the setting goes back to its default (the env value).
const whole = optionalWholeNumber;

const text = (max: number) =>
  z
    .string()
    .optional()
    .transform((v) => v?.replace(/\r\n?/g, "\n").trim() ?? "")
    .pipe(z.string().max(max, `At most ${max} characters`))
    .transform((v) => v || null);

export const SETTINGS_LIMITS = {
  meterAnonymousLimit: { min: 0, max: 50 },
  meterRegisteredLimit: { min: 0, max: 50 },
  meterWindowDays: { min: 1, max: 365 },
  defaultLeadInBlocks: { min: 1, max: 20 },
  paywallHeading: { max: 120 },
  paywallBody: { max: 600 },
  paywallButton: { max: 30 },
} as const;

/** The meter and paywall settings form. Field names are the columns of site_settings. */
export const siteSettingsSchema = z.object({
  meterAnonymousLimit: whole(0, 50, "articles"),
  meterRegisteredLimit: whole(0, 50, "articles"),
  meterWindowDays: whole(1, 365, "days"),
  defaultLeadInBlocks: whole(1, 20, "paragraphs"),
  paywallHeading: text(SETTINGS_LIMITS.paywallHeading.max),
  paywallBody: text(SETTINGS_LIMITS.paywallBody.max),
  paywallButton: text(SETTINGS_LIMITS.paywallButton.max),
});

export type SiteSettingsInput = z.output<typeof siteSettingsSchema>;
