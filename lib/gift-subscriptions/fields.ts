import { z } from "zod";

/** The lengths a gift subscription may be bought for, in months. */
export const GIFT_MONTHS = [1, 3, 6, 12] as const;
export type GiftMonths = (typeof GIFT_MONTHS)[number];

export const MESSAGE_MAX = 500;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date (YYYY-MM-DD) plus `days`, as a date. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The latest delivery date for a gift bought on `today`: one year on. */
export function latestDelivery(today: string): string {
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * The /gift form. `today` is the date in the site's time zone: a delivery date is today or a
 * date within a year of it. Each field's mistake gets its own message.
 */
export function giftPurchaseSchema(today: string) {
  const latest = latestDelivery(today);
  return z.object({
    planId: z.coerce.number({ error: "Choose a plan." }).int({ error: "Choose a plan." }).positive({ error: "Choose a plan." }),
    months: z.coerce
      .number({ error: "Choose 1, 3, 6 or 12 months." })
      .refine((n): n is GiftMonths => (GIFT_MONTHS as readonly number[]).includes(n), { error: "Choose 1, 3, 6 or 12 months." }),
    recipientEmail: z
      .string({ error: "Enter the recipient's email address." })
      .trim()
      .min(1, { error: "Enter the recipient's email address." })
      .max(254, { error: "That email address is too long." })
      .pipe(z.email({ error: "Enter a valid email address, like name@example.com." }))
      .transform((v) => v.toLowerCase()),
    message: z
      .string()
      .default("")
      .transform((v) => v.replace(/\r\n/g, "\n").trim())
      .pipe(z.string().max(MESSAGE_MAX, { error: `Keep the message to ${MESSAGE_MAX} characters.` })),
    deliverOn: z
      .string({ error: "Choose a delivery date." })
      .regex(DATE, { error: "Choose a delivery date (YYYY-MM-DD)." })
      .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), { error: "That date does not exist." })
      .refine((v) => v >= today, { error: "The delivery date cannot be in the past: choose today or a later date." })
      .refine((v) => v <= latest, { error: `The delivery date must be within a year (by ${latest}).` }),
  });
}

export type GiftPurchaseInput = z.output<ReturnType<typeof giftPurchaseSchema>>;

/** A redeem link's token: 32 random bytes in base64url. Only its SHA-256 is stored. */
export const redeemTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, "This redeem link is not complete: open it from the email again.");

/**
 * When a redeemed gift's months start: `after` the reading the recipient already has (the
 * default: no paid day spent twice), or `now`, which a subscriber may choose (the gift's months
 * then run alongside their paid period). Absent means `after`.
 */
export const GIFT_STARTS = ["after", "now"] as const;
export type GiftStartChoice = (typeof GIFT_STARTS)[number];
export const giftStartSchema = z.enum(GIFT_STARTS, { error: "Choose when the months start: now, or after the reading you already have." }).default("after");

/** The admin's reference to one gift subscription. */
export const giftRefSchema = z.object({ giftId: z.coerce.number().int().positive() });
