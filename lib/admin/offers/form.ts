/**
 * The admin's offer and retention forms, parsed. Offers: each field its own message, cross-field rules (the terms a
 * kind needs, end after start) on the field they concern. Amounts stay text here: their
 * decimals are checked against the eligible plans' currency when the offer is made.
 */
import { z } from "zod";

const optionalText = z
  .string()
  .optional()
  .transform((v) => v?.trim() ?? "");

const wholeNumber = (text: string) => (/^\d{1,7}$/.test(text) ? Number(text) : null);
const isoDay = /^\d{4}-\d{2}-\d{2}$/;
const day = (text: string) => (isoDay.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) ? new Date(`${text}T00:00:00Z`) : null);

const offerFields = z.object({
  name: z.string({ error: "Enter a name" }).trim().min(1, "Enter a name").max(60, "At most 60 characters"),
  code: z
    .string({ error: "Enter a code" })
    .trim()
    .min(1, "Enter a code")
    .max(40, "At most 40 characters")
    .regex(/^[A-Za-z0-9_-]+$/, "Letters, digits, - and _ only (no spaces)"),
  kind: z.enum(["percent", "amount", "trial"], { error: "Choose percent off, amount off or free trial" }),
  percentOff: optionalText,
  amountOff: optionalText,
  trialDays: optionalText,
  duration: z.enum(["once", "repeating", "forever"], { error: "Choose how long the discount lasts" }).default("once"),
  durationMonths: optionalText,
  planIds: z
    .union([z.string(), z.array(z.string())], { error: "Choose at least one plan" })
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .pipe(z.array(z.coerce.number<string>().int().positive().max(2_147_483_647)).min(1, "Choose at least one plan").max(50)),
  newCustomersOnly: z
    .string()
    .optional()
    .transform((v) => v === "on" || v === "true"),
  startsAt: optionalText,
  endsAt: optionalText,
  maxRedemptions: optionalText,
  replaces: optionalText,
});

const text = (v: unknown) => (typeof v === "string" ? v : "");

/**
 * Every cross-field rule the form breaks, each on the field it concerns. All of them at once, and
 * also when a field failed on its own (a bad code does not hide a 150 % discount): the admin
 * fixes everything in one round.
 */
function ruleIssues(form: Partial<Record<keyof z.input<typeof offerFields>, unknown>>): Array<[field: string, message: string]> {
  const issues: Array<[string, string]> = [];
  const percentOff = wholeNumber(text(form.percentOff));
  if (form.kind === "percent" && (percentOff === null || percentOff < 1 || percentOff > 100)) issues.push(["percentOff", "Enter a whole percent from 1 to 100"]);
  if (form.kind === "amount" && !/^\d{1,6}(\.\d+)?$/.test(text(form.amountOff))) issues.push(["amountOff", "Enter an amount like 7.00"]);
  const trialDays = wholeNumber(text(form.trialDays));
  if (form.kind === "trial" && (trialDays === null || trialDays < 1 || trialDays > 365)) issues.push(["trialDays", "Enter 1 to 365 days"]);
  const durationMonths = wholeNumber(text(form.durationMonths));
  if (form.kind !== "trial" && form.duration === "repeating" && (durationMonths === null || durationMonths < 1 || durationMonths > 36)) issues.push(["durationMonths", "Enter 1 to 36 months"]);
  const startsAt = day(text(form.startsAt));
  if (text(form.startsAt) !== "" && !startsAt) issues.push(["startsAt", "Enter a date (YYYY-MM-DD)"]);
  const endsAt = day(text(form.endsAt));
  if (text(form.endsAt) !== "" && !endsAt) issues.push(["endsAt", "Enter a date (YYYY-MM-DD)"]);
  if (startsAt && endsAt && endsAt.getTime() <= startsAt.getTime()) issues.push(["endsAt", "The end must be after the start"]);
  const maxRedemptions = wholeNumber(text(form.maxRedemptions));
  if (text(form.maxRedemptions) !== "" && (maxRedemptions === null || maxRedemptions < 1)) issues.push(["maxRedemptions", "Enter a whole number, 1 or more (or leave empty)"]);
  return issues;
}

export const offerFormSchema = offerFields
  .superRefine(
    (form, ctx) => {
      for (const [field, message] of ruleIssues(form)) ctx.addIssue({ code: "custom", path: [field], message });
    },
    // Runs even when a field failed on its own, so every problem is reported in one round.
    { when: (payload) => typeof payload.value === "object" && payload.value !== null },
  )
  .transform((form) => {
    // The rules above hold here: these are the checked values.
    const duration = form.kind === "trial" ? "once" : form.duration;
    const endsAt = form.endsAt === "" ? null : day(form.endsAt);
    const startsAt = form.startsAt === "" ? null : day(form.startsAt);
    const maxRedemptions = form.maxRedemptions === "" ? null : wholeNumber(form.maxRedemptions);
    const replaces = form.replaces === "" ? null : wholeNumber(form.replaces);
    return {
      name: form.name,
      code: form.code,
      kind: form.kind,
      percentOff: form.kind === "percent" ? wholeNumber(form.percentOff) : null,
      amountText: form.kind === "amount" ? form.amountOff : null,
      trialDays: form.kind === "trial" ? wholeNumber(form.trialDays) : null,
      duration,
      durationMonths: duration === "repeating" ? wholeNumber(form.durationMonths) : null,
      planIds: [...new Set(form.planIds)],
      newCustomersOnly: form.newCustomersOnly,
      // The end date is inclusive: the offer runs to the end of that day (UTC).
      startsAt,
      endsAt: endsAt && new Date(endsAt.getTime() + 86_400_000),
      maxRedemptions,
      replaces,
    };
  });

export type OfferInput = z.output<typeof offerFormSchema>;

export const offerIdSchema = z.object({ id: z.coerce.number<string>().int().positive().max(2_147_483_647) });

export const retentionFormSchema = z
  .object({
    kind: z.enum(["none", "discount", "pause"], { error: "Choose what the cancel screen offers" }),
    offerId: z.string().optional(),
    pauseMonths: z.string().optional(),
  })
  .transform((form, ctx) => {
    if (form.kind === "discount" && !/^\d{1,9}$/.test(form.offerId ?? "")) {
      ctx.addIssue({ code: "custom", path: ["offerId"], message: "Choose a discount offer" });
      return z.NEVER;
    }
    if (form.kind === "pause" && !/^[123]$/.test(form.pauseMonths ?? "")) {
      ctx.addIssue({ code: "custom", path: ["pauseMonths"], message: "Choose 1, 2 or 3 months" });
      return z.NEVER;
    }
    return {
      kind: form.kind,
      offerId: form.kind === "discount" ? Number(form.offerId) : null,
      pauseMonths: form.kind === "pause" ? Number(form.pauseMonths) : null,
    };
  });

export type RetentionInput = z.output<typeof retentionFormSchema>;

/** Where offers appear beyond their own page: codes typed at Checkout, and the paywall card's one offer. */
export const offerPlacementSchema = z.object({
  checkoutAcceptsCodes: z
    .literal("on", { error: "Tick the box or leave it empty" })
    .optional()
    .transform((v) => v === "on"),
  // The select always sends a value ("" for no offer): a form without it is not this form.
  featuredOfferId: z
    .string({ error: "Choose an offer, or no offer" })
    .trim()
    .regex(/^(\d{1,9})?$/, "Choose an offer from the list")
    .transform((v) => (v === "" ? null : Number(v))),
});

export type OfferPlacementInput = z.output<typeof offerPlacementSchema>;
