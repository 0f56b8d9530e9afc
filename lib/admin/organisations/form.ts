import { z } from "zod";
import { PLAN_CURRENCIES } from "@/lib/billing/money";
import { domainsField, emailsField, ipRangesField } from "@/lib/organisations/fields";

const id = z.coerce.number<string>().int().positive().max(2_147_483_647);

/** A calendar day (UTC) as the date input sends it. */
const day = (what: string) =>
  z
    .string({ error: `Enter the ${what}` })
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, `Enter the ${what} as a date (YYYY-MM-DD)`)
    .transform((v, ctx) => {
      const d = new Date(`${v}T00:00:00Z`);
      if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v) {
        ctx.addIssue({ code: "custom", message: `${v} is not a date in the calendar` });
        return z.NEVER;
      }
      return d;
    });

const organisationFields = {
  name: z.string({ error: "Enter a name" }).trim().min(1, "Enter a name").max(120, "At most 120 characters"),
  seats: z
    .string({ error: "Enter the number of seats" })
    .trim()
    .regex(/^\d{1,6}$/, "Enter a whole number of seats, 1 or more")
    .transform(Number)
    .pipe(z.number().min(1, "At least 1 seat").max(100_000, "At most 100,000 seats")),
  // The licence reads from the first day (00:00 UTC) until the end day (00:00 UTC), not on it.
  termStart: day("term's first day"),
  termEnd: day("term's end"),
  amount: z
    .string({ error: "Enter the licence's price" })
    .trim()
    .min(1, "Enter the licence's price")
    .max(20, "That price is too large")
    .regex(/^\d+(\.\d+)?$/, "Enter an amount like 12000.00"),
  currency: z.enum(PLAN_CURRENCIES, { error: "Choose a currency" }),
  managers: emailsField,
  domains: domainsField,
  ipRanges: ipRangesField,
};

const checkTerm = <T extends { termStart: Date; termEnd: Date }>(v: T, ctx: z.RefinementCtx) => {
  if (v.termEnd <= v.termStart) ctx.addIssue({ code: "custom", path: ["termEnd"], message: "The term must end after it starts" });
};

export const createOrganisationSchema = z.object(organisationFields).superRefine(checkTerm);
export type OrganisationInput = z.output<typeof createOrganisationSchema>;

export const updateOrganisationSchema = z.object({ id, ...organisationFields }).superRefine(checkTerm);
export type UpdateOrganisationInput = z.output<typeof updateOrganisationSchema>;

/** Sends the organisation's current term's invoice through Stripe: only its id comes from the form. */
export const sendLicenceInvoiceSchema = z.object({ id });
export type SendLicenceInvoiceInput = z.output<typeof sendLicenceInvoiceSchema>;
