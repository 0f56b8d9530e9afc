import { z } from "zod";

export const subscriberQuerySchema = z.object({
  q: z
    .string()
    .optional()
    .catch(undefined)
    .transform((v) => v?.trim().toLowerCase().slice(0, 200) || undefined),
  // Keyset paging: the id of the last reader on the previous page.
  after: z.string().trim().min(1).max(200).optional().catch(undefined),
});
export type SubscriberQuery = z.output<typeof subscriberQuerySchema>;

export const readerIdSchema = z.string().trim().min(1).max(200);

const DAY_MS = 86_400_000;

/**
 * Complimentary access: a reason (required) and an optional last day (inclusive, UTC). A grant
 * starts now; without an end it lasts until revoked.
 */
export const grantFormSchema = z.object({
  userId: z.string().trim().min(1).max(200),
  reason: z.string({ error: "Give a reason" }).trim().min(1, "Give a reason (the audit log keeps it)").max(300, "At most 300 characters"),
  endsOn: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const s = v?.trim() ?? "";
      if (s === "") return null;
      const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
      const day = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
      if (!day || Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== s) {
        ctx.addIssue({ code: "custom", message: "Enter a date like 2026-12-31, or leave it blank for no end" });
        return z.NEVER;
      }
      // Access runs through the whole last day: it ends at the following midnight, UTC.
      const ends = new Date(day.getTime() + DAY_MS);
      if (ends.getTime() <= Date.now()) {
        ctx.addIssue({ code: "custom", message: "The last day must be today or later" });
        return z.NEVER;
      }
      return ends;
    }),
});
export type GrantForm = z.output<typeof grantFormSchema>;

export const revokeGrantSchema = z.object({ grantId: z.coerce.number<string>().int().positive().max(2_147_483_647) });

/**
 * Deleting a reader's account for a request received by mail: the admin types the reader's
 * address (or DELETE for an account without one) to confirm; the command compares it.
 */
export const deleteReaderSchema = z.object({
  userId: readerIdSchema,
  confirmation: z.string({ error: "Type the reader's email address to confirm" }).trim().min(1, "Type the reader's email address to confirm").max(320, "At most 320 characters"),
});
export type DeleteReaderForm = z.output<typeof deleteReaderSchema>;
