/**
 * The admin's segment rule form, parsed: the conditions (blank: any) and the paywall settings
 * the rule sets (blank: the site's). Checkbox groups arrive as one value or an array of them.
 */
import { z } from "zod";
import { sourceClass } from "@/db/schema";
import { DEVICE_CLASSES } from "@/lib/segments/device-class";
import { FREQUENCIES, type RuleSettings } from "@/lib/segments/rules";
import { offerOverride, paywallOverrideFields } from "../shared/paywall-overrides";

/** The referrer classes a rule may name (a gift link is its own way in, never a segment). */
export const SEGMENT_REFERRERS = sourceClass.enumValues.filter((c) => c !== "gift");

const id = z.coerce.number<string>().int().positive().max(2_147_483_647);

/** A checkbox group: none ticked is null (any). */
function choices<T extends string>(values: readonly T[], message: string) {
  return z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
    .pipe(z.array(z.enum(values as [T, ...T[]], { error: message })).max(values.length))
    .transform((list) => (list.length === 0 ? null : [...new Set(list)]));
}

/** A three-way choice: "" (null: any, or the site's), `on` (true) or `off` (false). */
function threeWay<On extends string, Off extends string>(on: On, off: Off, message: string) {
  return z
    .string()
    .optional()
    .transform((v) => v ?? "")
    .pipe(z.enum(["", on, off] as const, { error: message }))
    .transform((v) => (v === "" ? null : v === on));
}

/** "", "yes" or "no": any, only, or never. */
const yesNo = threeWay("yes", "no", "Choose any, yes or no");

/** Country codes as the proxy sends them ("DE, AT"): two letters each, at most 50. */
const countries = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const parts = (v ?? "").split(/[\s,]+/).filter(Boolean);
    if (parts.length === 0) return null;
    if (parts.length > 50 || parts.some((p) => !/^[A-Za-z][A-Za-z0-9]$/.test(p))) {
      ctx.addIssue({ code: "custom", message: "Enter two-letter country codes separated by commas, like DE, AT" });
      return z.NEVER;
    }
    return [...new Set(parts.map((p) => p.toUpperCase()))];
  });

const wall = threeWay("on", "off", "Choose the site's, on or off");

export interface SegmentInput extends RuleSettings {
  name: string;
  referrerClasses: Array<(typeof SEGMENT_REFERRERS)[number]> | null;
  signedIn: boolean | null;
  newsletterSubscriber: boolean | null;
  frequencies: Array<(typeof FREQUENCIES)[number]> | null;
  devices: Array<(typeof DEVICE_CLASSES)[number]> | null;
  countries: string[] | null;
}

export const segmentSchema = z
  .object({
    name: z.string({ error: "Enter a name" }).trim().min(1, "Enter a name").max(120, "At most 120 characters"),
    referrer: choices(SEGMENT_REFERRERS, "Choose referrer classes from the list"),
    signedIn: yesNo,
    newsletter: yesNo,
    frequency: choices(FREQUENCIES, "Choose new, returning or loyal"),
    device: choices(DEVICE_CLASSES, "Choose mobile, tablet or desktop"),
    countries,
    // A rule's values are settings like the site's: the settings form's bounds.
    ...paywallOverrideFields,
    registrationWall: wall,
  })
  .superRefine((f, ctx) => {
    const sets = [f.anonymousLimit, f.registeredLimit, f.leadInBlocks, f.registrationWall, f.heading, f.body, f.button].some((v) => v !== null) || f.offer !== "";
    if (!sets) ctx.addIssue({ code: "custom", path: ["name"], message: "This rule changes nothing: set at least one of its settings" });
    if (f.registrationWall === true && f.anonymousLimit !== null && f.anonymousLimit > 0) {
      ctx.addIssue({ code: "custom", path: ["anonymousLimit"], message: "A registration wall gives anonymous readers no free articles: leave this blank" });
    }
  })
  .transform(
    (f): SegmentInput => ({
      name: f.name,
      referrerClasses: f.referrer,
      signedIn: f.signedIn,
      newsletterSubscriber: f.newsletter,
      frequencies: f.frequency,
      devices: f.device,
      countries: f.countries,
      anonymousLimit: f.anonymousLimit,
      registeredLimit: f.registeredLimit,
      leadInBlocks: f.leadInBlocks,
      registrationWall: f.registrationWall,
      paywallHeading: f.heading,
      paywallBody: f.body,
      paywallButton: f.button,
      ...offerOverride(f.offer),
    }),
  );

export const segmentIdSchema = z.object({ id });
export const updateSegmentSchema = z.intersection(z.object({ id }), segmentSchema);
export const moveSegmentSchema = z.object({ id, direction: z.enum(["up", "down"], { error: "Move up or down" }) });

/** A rule as saved (its referrer classes may be any the column holds). */
type SavedRule = Omit<SegmentInput, "referrerClasses"> & { referrerClasses: string[] | null };

/** A saved rule as the form's fields (ticked boxes as lists), to edit it. */
export function segmentFormValues(row: SavedRule): Record<string, string | string[]> {
  const yesNo = (v: boolean | null) => (v === null ? "" : v ? "yes" : "no");
  const num = (v: number | null) => (v === null ? "" : String(v));
  return {
    name: row.name,
    referrer: row.referrerClasses ?? [],
    signedIn: yesNo(row.signedIn),
    newsletter: yesNo(row.newsletterSubscriber),
    frequency: row.frequencies ?? [],
    device: row.devices ?? [],
    countries: (row.countries ?? []).join(", "),
    anonymousLimit: num(row.anonymousLimit),
    registeredLimit: num(row.registeredLimit),
    leadInBlocks: num(row.leadInBlocks),
    registrationWall: row.registrationWall === null ? "" : row.registrationWall ? "on" : "off",
    heading: row.paywallHeading ?? "",
    body: row.paywallBody ?? "",
    button: row.paywallButton ?? "",
    offer: row.noOffer ? "none" : num(row.featuredOfferId),
  };
}

/** One line for the list: what a rule looks at. */
export function describeConditions(row: Pick<SavedRule, "referrerClasses" | "signedIn" | "newsletterSubscriber" | "frequencies" | "devices" | "countries">): string {
  const parts = [
    row.referrerClasses?.length ? `from ${row.referrerClasses.join(" or ")}` : null,
    row.signedIn === null ? null : row.signedIn ? "signed in" : "not signed in",
    row.newsletterSubscriber === null ? null : row.newsletterSubscriber ? "newsletter subscriber" : "not a newsletter subscriber",
    row.frequencies?.length ? row.frequencies.join(" or ") : null,
    row.devices?.length ? `on ${row.devices.join(" or ")}` : null,
    row.countries?.length ? `in ${row.countries.join(", ")}` : null,
  ].filter(Boolean);
  return parts.length === 0 ? "every reader" : parts.join("; ");
}

/** One line for the list: what a rule sets. */
export function describeSettings(row: RuleSettings): string {
  return [
    row.anonymousLimit === null ? null : `anonymous ${row.anonymousLimit}`,
    row.registeredLimit === null ? null : `registered ${row.registeredLimit}`,
    row.leadInBlocks === null ? null : `lead-in ${row.leadInBlocks}`,
    row.registrationWall === null ? null : `registration wall ${row.registrationWall ? "on" : "off"}`,
    row.paywallHeading === null ? null : `heading “${row.paywallHeading}”`,
    row.paywallBody === null ? null : "text",
    row.paywallButton === null ? null : `button “${row.paywallButton}”`,
    row.noOffer ? "no offer" : row.featuredOfferId === null ? null : `offer #${row.featuredOfferId}`,
  ]
    .filter(Boolean)
    .join(", ");
}
