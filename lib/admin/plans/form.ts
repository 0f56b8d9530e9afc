import { z } from "zod";
import { PLAN_CURRENCIES } from "@/lib/billing/money";

const id = z.coerce.number<string>().int().positive().max(2_147_483_647);

const features = z
  .string()
  .optional()
  .transform((v) => (v ?? "").split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== ""))
  .pipe(z.array(z.string().max(120, "Each feature: at most 120 characters")).max(10, "At most 10 features"));

/** A price as typed ("9.50"); turned into minor units with the plan's currency (parseMoneyInput). */
const amountText = z
  .string({ error: "Enter a price" })
  .trim()
  .min(1, "Enter a price")
  .max(20, "That price is too large")
  .regex(/^\d+(\.\d+)?$/, "Enter an amount like 9.50");

const planFields = {
  name: z.string({ error: "Enter a name" }).trim().min(1, "Enter a name").max(60, "At most 60 characters"),
  description: z
    .string()
    .optional()
    .transform((v) => v?.trim() || null)
    .pipe(z.string().max(300, "At most 300 characters").nullable()),
  features,
  trialDays: z
    .string()
    .optional()
    .transform((v) => v?.trim() || "0")
    .pipe(z.string().regex(/^\d{1,3}$/, "Enter a whole number of days (0 for no trial)"))
    .transform(Number)
    .pipe(z.number().max(365, "At most 365 days")),
  // A checkbox: "on" when ticked, absent when not; anything else is not a checkbox's answer.
  trialPerPlan: z
    .enum(["on", "true", "false"], { error: "Tick the box, or leave it empty" })
    .optional()
    .transform((v) => v === "on" || v === "true"),
  amount: amountText,
  interval: z.enum(["month", "year"], { error: "Choose monthly or yearly" }),
  family: z
    .enum(["on", "true", "false"], { error: "Tick the box, or leave it empty" })
    .optional()
    .transform((v) => v === "on" || v === "true"),
  // Accounts on one subscription, the payer included; read only when `family` is ticked.
  familyAccounts: z.string().max(10, "Enter a whole number from 2 to 20").optional(),
};

export const FAMILY_ACCOUNTS = { min: 2, max: 20, default: 4 } as const;

/** A family plan's size as the plan stores it (null: not a family plan); a bad size is a field error. */
function withFamilyAccounts<T extends { family: boolean; familyAccounts?: string }>(input: T, ctx: z.RefinementCtx) {
  const { family, familyAccounts: typed, ...rest } = input;
  if (!family) return { ...rest, familyAccounts: null };
  const text = typed?.trim() || String(FAMILY_ACCOUNTS.default);
  const n = /^\d{1,2}$/.test(text) ? Number(text) : NaN;
  if (!(n >= FAMILY_ACCOUNTS.min && n <= FAMILY_ACCOUNTS.max)) {
    ctx.addIssue({ code: "custom", path: ["familyAccounts"], message: `Enter a whole number of accounts from ${FAMILY_ACCOUNTS.min} to ${FAMILY_ACCOUNTS.max} (the payer included)` });
    return z.NEVER;
  }
  return { ...rest, familyAccounts: n };
}

export const createPlanSchema = z
  .object({
    ...planFields,
    currency: z.enum(PLAN_CURRENCIES, { error: "Choose a currency" }),
  })
  .transform(withFamilyAccounts);
/** A caller without the family fields (a tool, a test) keeps the plan's family size as it is. */
type FamilyOptional<T> = Omit<T, "familyAccounts"> & { familyAccounts?: number | null };
export type CreatePlanInput = FamilyOptional<z.output<typeof createPlanSchema>>;

/** Editing keeps the plan's currency: it is fixed when the plan is created. */
export const updatePlanSchema = z.object({ id, ...planFields }).transform(withFamilyAccounts);
export type UpdatePlanInput = FamilyOptional<z.output<typeof updatePlanSchema>>;

export const planIdSchema = z.object({ id });
export const movePlanSchema = z.object({ id, direction: z.enum(["up", "down"]) });
export const planActiveSchema = z.object({ id, active: z.enum(["true", "false"]).transform((v) => v === "true") });
