import "server-only";
import { asc, desc, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { planPrices, plans, subscriptions, type Plan } from "@/db/schema";

/** Subscriptions still on a price (paying, trialing, or in dunning). */
export const LIVE_STATUSES = ["active", "trialing", "past_due"] as const;

export interface AdminPlanPrice {
  stripePriceId: string;
  amount: number;
  currency: string;
  interval: "month" | "year";
  active: boolean;
  /** The price new subscribers get now. */
  current: boolean;
  subscribers: number;
}

export interface AdminPlan {
  id: number;
  name: string;
  description: string | null;
  features: string[];
  amount: number;
  currency: string;
  interval: "month" | "year";
  trialDays: number;
  trialPerPlan: boolean;
  /** Accounts on one subscription, the payer included; null: not a family plan. */
  familyAccounts: number | null;
  active: boolean;
  sortOrder: number;
  prices: AdminPlanPrice[];
  /** Our row and Stripe's price disagree (a push failed): the page offers "Retry sync". */
  needsPush: boolean;
}

const sameTerms = (a: Pick<Plan, "amount" | "currency" | "interval">, b: Pick<Plan, "amount" | "currency" | "interval">) =>
  a.amount === b.amount && a.currency === b.currency && a.interval === b.interval;

/** What an admin edits of a plan: the page shows it, the audit log keeps it. */
export function planTerms(plan: Plan) {
  return {
    name: plan.name,
    description: plan.description,
    features: plan.features,
    amount: plan.amount,
    currency: plan.currency,
    interval: plan.interval,
    trialDays: plan.trialDays,
    trialPerPlan: plan.trialPerPlan,
    familyAccounts: plan.familyAccounts,
    active: plan.active,
    sortOrder: plan.sortOrder,
  };
}

/** Every plan in sort order, with each of its prices (current and archived) and who is on them. */
export async function listPlansForAdmin(db: Db): Promise<AdminPlan[]> {
  const [rows, prices, counts] = await Promise.all([
    db.select().from(plans).orderBy(asc(plans.sortOrder), asc(plans.id)),
    db.select().from(planPrices).orderBy(desc(planPrices.createdAt)),
    db
      .select({ stripePriceId: subscriptions.stripePriceId, n: sql<number>`count(*)::int` })
      .from(subscriptions)
      .where(inArray(subscriptions.status, [...LIVE_STATUSES]))
      .groupBy(subscriptions.stripePriceId),
  ]);
  const subscribersOn = new Map(counts.map((c) => [c.stripePriceId, Number(c.n)]));
  return rows.map((plan) => {
    const own = prices.filter((p) => p.planId === plan.id);
    const current = own.find((p) => p.stripePriceId === plan.stripePriceId);
    const needsPush = plan.active ? !current || !current.active || !sameTerms(current, plan) : current?.active === true;
    return {
      id: plan.id,
      ...planTerms(plan),
      needsPush,
      prices: own.map((p) => ({
        stripePriceId: p.stripePriceId,
        amount: p.amount,
        currency: p.currency,
        interval: p.interval,
        active: p.active,
        current: p.stripePriceId === plan.stripePriceId && plan.active,
        subscribers: subscribersOn.get(p.stripePriceId) ?? 0,
      })),
    };
  });
}
