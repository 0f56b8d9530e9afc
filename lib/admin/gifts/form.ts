import { z } from "zod";

export const giftSettingsSchema = z.object({
  validDays: z.coerce.number<unknown>({ error: "Enter a number of days" }).int().min(1, "At least 1 day").max(365, "At most 365 days"),
  browserLimit: z.coerce.number<unknown>({ error: "Enter a number of browsers" }).int().min(1, "At least 1 browser").max(10_000, "At most 10,000"),
});

export const planAllowanceSchema = z.object({
  planId: z.coerce.number<unknown>().int().positive(),
  giftAllowance: z.coerce.number<unknown>({ error: "Enter a number of gifts" }).int().min(0, "0 or more").max(1_000, "At most 1,000"),
});

export const articleRefSchema = z.object({ articleId: z.coerce.number<unknown>().int().positive() });
// Revoking every publisher link is one deliberate button: a form without its confirmation changes nothing.
export const revokeAllSchema = z.object({ confirm: z.literal("every-publisher-link", { error: "Confirm revoking every publisher link" }) });
export const giftRefSchema = z.object({ giftId: z.coerce.number<unknown>().int().positive() });
