import { z } from "zod";

/**
 * The rules the money audit checks (docs/money-audit.md). Each finding names one, with the
 * subscription and the days it concerns.
 */
export const MONEY_RULES = {
  "day-unbacked": "A day our entitlement rules make readable has no backing: no paid invoice's period, entitled trial, admin grant or grace days after a failed payment cover it.",
  "paid-day-unreadable": "A day inside a paid invoice's period is not readable: the reader paid for it and cannot read.",
  "invoice-amount": "An invoice's discount is not what the offer's terms give (amount, duration, or a coupon no offer names).",
  "offer-plan": "An offer's discount or trial was used on a plan the offer does not name.",
  "new-customers-only": "A new-customers-only offer went to an account that had subscribed before.",
  "max-redemptions": "An offer was redeemed more times than its maximum.",
  "offer-once-per-account": "One account redeemed the same offer on more than one subscription.",
  "offer-window": "An offer was redeemed before it started or after it ended.",
  "trial-repeated": "A trial went to an account that had a trial before (one per account).",
  "trial-length": "A trial ran longer than the plan or the offer gives.",
  "save-offer-repeated": "The save offer was accepted more than once for a subscription, or more than once per account in 12 months.",
  "second-subscription": "An account has two subscriptions that both renew (trialing or active, neither ending): it is charged twice for the same days.",
  "payment-uncredited": "A payment is not credited to any account (its customer or subscription has no owner here).",
  "row-disagrees": "Our copy of a subscription gives more access than Stripe's object does.",
} as const;

export type MoneyRule = keyof typeof MONEY_RULES;
export const moneyRuleSchema = z.enum(Object.keys(MONEY_RULES) as [MoneyRule, ...MoneyRule[]]);

/** One broken rule: whose subscription, which days (our clock, ISO instants, [from, to)), and the facts. */
export const moneyFindingSchema = z.object({
  rule: moneyRuleSchema,
  subscription: z.string(),
  account: z.string(),
  from: z.string(),
  to: z.string(),
  detail: z.string(),
});
export type MoneyFinding = z.infer<typeof moneyFindingSchema>;

export const moneyTotalSchema = z.object({ currency: z.string(), amount: z.number() });

/** money-audit-report.json: written by tools/money-audit and the admin page, read back by the page. */
export const moneyAuditReportSchema = z.object({
  source: z.string(),
  startedAt: z.string(),
  /** The moment judged (our clock). */
  at: z.string(),
  durationMs: z.number(),
  ok: z.boolean(),
  counts: z.object({
    subscriptions: z.number(),
    invoices: z.number(),
    paidInvoices: z.number(),
    accounts: z.number(),
    readableDays: z.number(),
  }),
  /** Monthly recurring revenue from Stripe's objects (list prices of paying, entitled subscriptions), per currency. */
  mrr: z.array(moneyTotalSchema),
  notes: z.array(z.string()),
  findings: z.array(moneyFindingSchema),
});
export type MoneyAuditReport = z.infer<typeof moneyAuditReportSchema>;
