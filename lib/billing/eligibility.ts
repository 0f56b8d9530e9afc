import "server-only";
/**
 * Who may have a trial or a new-customer offer (docs/decisions/0024): decided for the account
 * that owns the subscription, from our rows (every subscription of every customer of the
 * account, whichever way it was bought). A new customer has had no subscription before; a trial
 * is had once per account, ever, unless the plan says once per plan (`trial_per_plan`: then a
 * trial on another plan does not count). An offer is taken once per account: a subscription that
 * was sold with it counts, unless its checkout never completed (incomplete). "Before" a subscription means created no later on
 * Stripe's clock (whole seconds): of two checkouts racing for one account the first keeps its
 * terms, and two made in the same second both lose them (the reader gets less, never more).
 */
import { and, eq, inArray, isNotNull, ne, notInArray, sql, type SQL } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { plans, subscriptions } from "@/db/schema";

/** The subscription being settled, to judge the account's history before it; none before Checkout. */
export type Before = { stripeSubscriptionId: string; stripeCreated: Date } | null;

function earlierThan(before: Before): SQL | undefined {
  if (!before) return undefined;
  return and(sql`${subscriptions.stripeCreated} <= ${before.stripeCreated.toISOString()}::timestamptz`, ne(subscriptions.stripeSubscriptionId, before.stripeSubscriptionId));
}

/** Whether the account has had no subscription (before `before`). */
export async function isNewCustomer(db: Queryable, userId: string, before: Before = null): Promise<boolean> {
  const [earlier] = await db
    .select({ id: subscriptions.stripeSubscriptionId })
    .from(subscriptions)
    .where(and(eq(subscriptions.userId, userId), earlierThan(before)))
    .limit(1);
  return !earlier;
}

/** Whether the account may have a trial on `planId`: it has had none (before `before`), on any plan or, if the plan says so, on this one. */
export async function mayHaveTrial(db: Queryable, userId: string, planId: number | null, before: Before = null): Promise<boolean> {
  const [plan] = planId === null ? [] : await db.select({ perPlan: plans.trialPerPlan }).from(plans).where(eq(plans.id, planId));
  const [earlier] = await db
    .select({ id: subscriptions.stripeSubscriptionId })
    .from(subscriptions)
    .where(and(eq(subscriptions.userId, userId), isNotNull(subscriptions.trialEnd), plan?.perPlan ? eq(subscriptions.planId, planId!) : undefined, earlierThan(before)))
    .limit(1);
  return !earlier;
}

/**
 * Of `planIds`, the plans whose trial this account has had (the same rule as mayHaveTrial, for a
 * list of plans at once): their cards promise no free days. No trial yet: one query, no plan read.
 */
export async function plansWithTrialUsed(db: Queryable, userId: string, planIds: readonly number[]): Promise<number[]> {
  if (planIds.length === 0) return [];
  const trialed = await db
    .select({ planId: subscriptions.planId })
    .from(subscriptions)
    .where(and(eq(subscriptions.userId, userId), isNotNull(subscriptions.trialEnd)));
  if (trialed.length === 0) return [];
  const rules = await db.select({ id: plans.id, trialPerPlan: plans.trialPerPlan }).from(plans).where(inArray(plans.id, [...planIds]));
  return trialUsedOnPlans(rules, trialed.map((t) => t.planId));
}

/**
 * The rule itself: a trial is once per account, or once per plan where the plan says so.
 * `trialedPlanIds` are the plans of the account's subscriptions that had a trial.
 */
export function trialUsedOnPlans(planRules: ReadonlyArray<{ id: number; trialPerPlan: boolean }>, trialedPlanIds: ReadonlyArray<number | null>): number[] {
  if (trialedPlanIds.length === 0) return [];
  return planRules.filter((plan) => !plan.trialPerPlan || trialedPlanIds.includes(plan.id)).map((plan) => plan.id);
}

/** Whether the account has taken this offer already (before `before`): an offer is taken once per account. */
export async function hasTakenOffer(db: Queryable, userId: string, offerId: number, before: Before = null): Promise<boolean> {
  const [earlier] = await db
    .select({ id: subscriptions.stripeSubscriptionId })
    .from(subscriptions)
    .where(and(eq(subscriptions.userId, userId), eq(subscriptions.offerId, offerId), notInArray(subscriptions.status, ["incomplete", "incomplete_expired"]), earlierThan(before)))
    .limit(1);
  return !!earlier;
}
