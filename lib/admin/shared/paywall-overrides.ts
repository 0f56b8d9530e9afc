/**
 * The paywall settings an experiment's variant or a segment rule may set in place of the site's,
 * as form fields (blank: the site's). Bounds are the settings form's: such a value is a setting
 * like the site's.
 */
import { z } from "zod";
import { optionalWholeNumber } from "./form-fields";
import { SETTINGS_LIMITS } from "../settings/form";

/** An optional text field of at most `max` characters: trimmed, blank is null. */
export const boundedText = (max: number) =>
  z
    .string()
    .optional()
    .transform((v) => v?.trim() || null)
    .refine((v) => v === null || v.length <= max, `At most ${max} characters`);

/** "" keeps the site's featured offer, "none" shows none, a number features that offer. */
const offerChoice = z
  .string()
  .optional()
  .transform((v) => v?.trim() ?? "")
  .pipe(z.union([z.literal(""), z.literal("none"), z.string().regex(/^\d{1,9}$/, "Choose an offer from the list")]));

/** The fields, by their names in the form (a variant's carry its row's prefix). */
export const paywallOverrideFields = {
  anonymousLimit: optionalWholeNumber(SETTINGS_LIMITS.meterAnonymousLimit.min, SETTINGS_LIMITS.meterAnonymousLimit.max, "articles"),
  registeredLimit: optionalWholeNumber(SETTINGS_LIMITS.meterRegisteredLimit.min, SETTINGS_LIMITS.meterRegisteredLimit.max, "articles"),
  leadInBlocks: optionalWholeNumber(SETTINGS_LIMITS.defaultLeadInBlocks.min, SETTINGS_LIMITS.defaultLeadInBlocks.max, "paragraphs"),
  heading: boundedText(SETTINGS_LIMITS.paywallHeading.max),
  body: boundedText(SETTINGS_LIMITS.paywallBody.max),
  button: boundedText(SETTINGS_LIMITS.paywallButton.max),
  offer: offerChoice,
};

/** The offer field's choice as saved: a featured offer, or none shown. */
export function offerOverride(offer: string | null): { featuredOfferId: number | null; noOffer: boolean } {
  return { featuredOfferId: offer && offer !== "none" ? Number(offer) : null, noOffer: offer === "none" };
}
