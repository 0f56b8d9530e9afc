import "server-only";
import { desc, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { grants, invoices, planPrices, plans, subscriptions } from "@/db/schema";
import { env } from "@/lib/env";
import { discountSummary, type DiscountSummary } from "./discount-summary";
import { customerIdsFor } from "./customers";
import { awaitsPaidPeriod } from "./end-pause";
import { grantEntitlement, subscriptionEntitlement } from "@/lib/access/entitlement";
import { invoiceOnOurClock, onOurClock } from "./stripe-rows";

/** One subscription as the account page shows it: our own shape, no Stripe objects. */
export interface AccountSubscription {
  id: string;
  planName: string | null;
  status: string;
  entitled: boolean;
  renewsAt: Date | null;
  endsAt: Date | null;
  trialEndsAt: Date | null;
  discount: DiscountSummary | null;
  /** Paused by the save offer: no charges and no access from the end of the paid period. */
  paused: boolean;
  /** When the pause ends and the next paid period starts, on our clock; null when not paused or open-ended. */
  pausedUntil: Date | null;
  /** The last paid day before a pause that has not started yet, on our clock. */
  pauseStarts: Date | null;
  /** Offers "Cancel subscription" (our own cancel flow). */
  cancellable: boolean;
  /** Offers "Resume": set to cancel at period end, or paused. */
  resumable: boolean;
  price: { amount: number; currency: string; interval: "month" | "year" } | null;
  /** What the next renewal charges (the discount taken off) and when, on our clock; null when nothing renews. */
  nextPayment: { amount: number; currency: string; on: Date } | null;
}

export interface AccountBilling {
  /** Every subscription of every customer of the account, newest first. */
  subscriptions: AccountSubscription[];
  grant: { reason: string; endsAt: Date | null } | null;
  invoices: Array<{ id: string; date: Date; amount: number; currency: string; status: string; url: string | null }>;
  hasCustomer: boolean;
}

/** Every subscription of a user with its plan's name, newest first. */
export function subscriptionsWithPlan(db: Db, userId: string) {
  return db
    .select({ sub: subscriptions, planName: plans.name, price: { amount: planPrices.amount, currency: planPrices.currency, interval: planPrices.interval } })
    .from(subscriptions)
    .leftJoin(plans, eq(plans.id, subscriptions.planId))
    .leftJoin(planPrices, eq(planPrices.stripePriceId, subscriptions.stripePriceId))
    .where(eq(subscriptions.userId, userId))
    .orderBy(desc(subscriptions.stripeCreated));
}

export type SubscriptionWithPlan = Awaited<ReturnType<typeof subscriptionsWithPlan>>[number];

/** The newest invoices of these customers, on our clock: an invoice runs on its subscription's clock. */
export async function recentInvoices(db: Db, customerIds: string[], limit: number) {
  if (customerIds.length === 0) return [];
  const rows = await db
    .select({ invoice: invoices, clockOffsetSeconds: subscriptions.clockOffsetSeconds })
    .from(invoices)
    .leftJoin(subscriptions, eq(subscriptions.stripeSubscriptionId, invoices.stripeSubscriptionId))
    .where(inArray(invoices.stripeCustomerId, customerIds))
    .orderBy(desc(invoices.stripeCreated))
    .limit(limit);
  return rows.map((r) => invoiceOnOurClock(r.invoice, r.clockOffsetSeconds));
}

/** One subscription row with its plan, as its owner sees it. */
export function accountSubscription({ sub: s, planName, price }: SubscriptionWithPlan, now: Date): AccountSubscription {
  const ending = s.cancelAtPeriodEnd || s.cancelAt !== null || s.status === "canceled";
  const paused = s.status !== "canceled" && (s.collectionPaused || awaitsPaidPeriod(s));
  // Dates are shown on our clock (a test clock's offset removed).
  const renewsAt = !ending && !paused && (s.status === "active" || s.status === "trialing") ? onOurClock(s.currentPeriodEnd, s.clockOffsetSeconds) : null;
  const discount = s.status === "canceled" ? null : discountSummary(s, price);
  return {
    id: s.stripeSubscriptionId,
    planName,
    status: s.status,
    entitled: subscriptionEntitlement(s, now, env().BILLING_GRACE_DAYS) !== null,
    renewsAt,
    endsAt: ending ? onOurClock(s.cancelAt ?? s.endedAt ?? s.currentPeriodEnd, s.clockOffsetSeconds) : null,
    trialEndsAt: s.status === "trialing" ? onOurClock(s.trialEnd, s.clockOffsetSeconds) : null,
    discount,
    paused,
    // A pause lifted but not yet paid for (end-pause.ts) still shows as paused, with Resume now.
    pausedUntil: paused ? onOurClock(s.pausedUntil, s.clockOffsetSeconds) : null,
    pauseStarts: paused && s.paidThrough === null ? onOurClock(s.currentPeriodEnd, s.clockOffsetSeconds) : null,
    cancellable: (s.status === "active" || s.status === "trialing" || s.status === "past_due") && !ending && !paused,
    resumable: s.status !== "canceled" && (s.cancelAtPeriodEnd || paused),
    price,
    // A paused subscription charges nothing until it resumes: no date to promise.
    nextPayment: renewsAt && price ? { amount: discount?.nextPayment ?? price.amount, currency: price.currency, on: renewsAt } : null,
  };
}

export async function accountBilling(db: Db, userId: string, now = new Date()): Promise<AccountBilling> {
  const [subs, customers, userGrants] = await Promise.all([
    subscriptionsWithPlan(db, userId),
    customerIdsFor(db, userId),
    db.select().from(grants).where(eq(grants.userId, userId)),
  ]);
  const activeGrant = userGrants.find((g) => grantEntitlement(g, now));
  const rows = await recentInvoices(db, customers, 10);
  return {
    subscriptions: subs.map((row) => accountSubscription(row, now)),
    grant: activeGrant ? { reason: activeGrant.reason, endsAt: activeGrant.endsAt } : null,
    invoices: rows.map((i) => ({ id: i.stripeInvoiceId, date: i.stripeCreated, amount: i.amountPaid || i.amountDue, currency: i.currency, status: i.status, url: i.hostedInvoiceUrl })),
    hasCustomer: customers.length > 0,
  };
}
