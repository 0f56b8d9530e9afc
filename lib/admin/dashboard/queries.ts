import "server-only";
import { and, eq, gte, notInArray, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { funnelDaily, planPrices, subscriptions, type FunnelEventType } from "@/db/schema";
import { subscriptionEntitlement } from "@/lib/access/entitlement";
import { onOurClockUtc, subscriptionFactColumns, type SubscriptionFacts } from "@/lib/billing/stripe-rows";

const DAY_MS = 86_400_000;

// --- The period (a query parameter) ---

export const DASHBOARD_PERIODS = [7, 30, 90] as const;
export type DashboardPeriod = (typeof DASHBOARD_PERIODS)[number];

/** `?days=7|30|90`; anything else is the default, 30. */
export const dashboardQuerySchema = z.object({
  days: z
    .enum(["7", "30", "90"])
    .catch("30")
    .default("30")
    .transform((d) => Number(d) as DashboardPeriod),
});

/** The first instant of the period: midnight UTC, `days - 1` days before today, so today is the last day. */
export function periodStart(now: Date, days: number): Date {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(today - (days - 1) * DAY_MS);
}

// --- Pure aggregation (unit-tested) ---

export interface MrrSubscription extends SubscriptionFacts {
  /** The subscription's price, from plan_prices by its Stripe price id; null if we never saw it. */
  price: { amount: number; currency: string; interval: "month" | "year" } | null;
  /** How many subscriptions with these same facts this line stands for (1 when absent). */
  count?: number;
}
export interface MoneyTotal {
  currency: string;
  amount: number;
}

/** Statuses that pay: a trial has not paid yet; incomplete, canceled and the rest count 0. */
const PAYING = new Set(["active", "past_due"]);

/**
 * Monthly recurring revenue, per currency, in minor units: each subscription that pays and is
 * entitled now counts its price's monthly equivalent (a yearly price / 12). Summed in twelfths
 * and rounded once, so twelve yearly $96 subscriptions make exactly $96.00, not 12 × $8.00 ± rounding.
 */
export function computeMrr(subs: readonly MrrSubscription[], now: Date, graceDays: number): MoneyTotal[] {
  const twelfths = new Map<string, number>();
  for (const sub of subs) {
    if (!sub.price || !PAYING.has(sub.status)) continue;
    if (!subscriptionEntitlement(sub, now, graceDays)) continue;
    const monthlyTwelfths = (sub.price.interval === "year" ? sub.price.amount : sub.price.amount * 12) * (sub.count ?? 1);
    twelfths.set(sub.price.currency, (twelfths.get(sub.price.currency) ?? 0) + monthlyTwelfths);
  }
  return [...twelfths.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([currency, t]) => ({ currency, amount: Math.round(t / 12) }));
}

export interface StatusCounts {
  active: number;
  trialing: number;
  pastDue: number;
}

export function statusCounts(rows: ReadonlyArray<{ status: string; n: number }>): StatusCounts {
  const by = (status: string) => rows.filter((r) => r.status === status).reduce((sum, r) => sum + Number(r.n), 0);
  return { active: by("active"), trialing: by("trialing"), pastDue: by("past_due") };
}

export interface DayPoint {
  /** YYYY-MM-DD, UTC. */
  day: string;
  new: number;
  churned: number;
}

/** One point per day of the period, oldest first; days without rows are zeros. */
export function dailySeries(
  start: Date,
  days: number,
  newRows: ReadonlyArray<{ day: string; n: number }>,
  churnRows: ReadonlyArray<{ day: string; n: number }>,
): DayPoint[] {
  const index = (rows: ReadonlyArray<{ day: string; n: number }>) => {
    const map = new Map<string, number>();
    for (const r of rows) map.set(r.day, (map.get(r.day) ?? 0) + Number(r.n));
    return map;
  };
  const created = index(newRows);
  const churned = index(churnRows);
  return Array.from({ length: days }, (_, i) => {
    const day = new Date(start.getTime() + i * DAY_MS).toISOString().slice(0, 10);
    return { day, new: created.get(day) ?? 0, churned: churned.get(day) ?? 0 };
  });
}

export const FUNNEL_STEPS: ReadonlyArray<{ type: FunnelEventType; label: string }> = [
  { type: "article_view", label: "Article views" },
  { type: "paywall_shown", label: "Paywall shown" },
  { type: "checkout_started", label: "Checkout started" },
  { type: "subscribed", label: "Subscribed" },
];

export interface FunnelStep {
  type: FunnelEventType;
  label: string;
  count: number;
  /** Percent of the previous step (one decimal); null for the first step or after a zero. */
  conversion: number | null;
}

export function funnelSteps(rows: ReadonlyArray<{ type: string; n: number }>): FunnelStep[] {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.type, (counts.get(r.type) ?? 0) + Number(r.n));
  return FUNNEL_STEPS.map((step, i) => {
    const count = counts.get(step.type) ?? 0;
    const previous = i === 0 ? 0 : (counts.get(FUNNEL_STEPS[i - 1]!.type) ?? 0);
    return { ...step, count, conversion: i === 0 || previous === 0 ? null : Math.round((count / previous) * 1000) / 10 };
  });
}

// --- The queries (all of the dashboard's SQL is here) ---

export interface Dashboard {
  days: DashboardPeriod;
  start: Date;
  counts: StatusCounts;
  mrr: MoneyTotal[];
  series: DayPoint[];
  funnel: FunnelStep[];
}

const utc = (d: Date) => sql`(${d.toISOString()}::timestamptz at time zone 'UTC')`;
const utcDay = (instant: SQL) => sql<string>`to_char(${instant}, 'YYYY-MM-DD')`;

/**
 * An active subscription set to renew: entitled whatever its dates, so the MRR counts these per
 * price in the database (from subscriptions_renewing_price_idx) rather than row by row.
 */
const RENEWING = sql`${subscriptions.status} = 'active' and ${subscriptions.cancelAt} is null and not ${subscriptions.cancelAtPeriodEnd} and not ${subscriptions.collectionPaused}`;
/** The other paying subscriptions (past due, or set to cancel), whose dates decide; subscriptions_paying_ending_idx. */
const PAYING_ENDING = sql`${subscriptions.status} = 'past_due' or (${subscriptions.status} = 'active' and (${subscriptions.cancelAt} is not null or ${subscriptions.cancelAtPeriodEnd} or ${subscriptions.collectionPaused}))`;
const RENEWING_FACTS = { status: "active", currentPeriodStart: null, currentPeriodEnd: null, cancelAtPeriodEnd: false, cancelAt: null, endedAt: null, trialEnd: null, clockOffsetSeconds: 0, collectionPaused: false, pausedUntil: null, paidThrough: null } as const;

export async function loadDashboard(db: Db, days: DashboardPeriod, graceDays: number, now = new Date()): Promise<Dashboard> {
  const start = periodStart(now, days);
  const n = sql<number>`count(*)::int`;
  const createdAt = onOurClockUtc(sql`${subscriptions.stripeCreated}`);
  const endedAt = onOurClockUtc(sql`coalesce(${subscriptions.endedAt}, ${subscriptions.canceledAt})`);
  const renewing = db.select({ priceId: subscriptions.stripePriceId, n: n.as("n") }).from(subscriptions).where(RENEWING).groupBy(subscriptions.stripePriceId).as("renewing");

  const [trialingRows, renewingRows, otherPayingRows, newRows, churnRows, funnelRows] = await Promise.all([
    // Active and past due are counted from the MRR's rows below; only trials need a count of their own.
    db.select({ status: subscriptions.status, n }).from(subscriptions).where(eq(subscriptions.status, "trialing")).groupBy(subscriptions.status),
    db
      .select({ n: renewing.n, amount: planPrices.amount, currency: planPrices.currency, interval: planPrices.interval })
      .from(renewing)
      .leftJoin(planPrices, eq(planPrices.stripePriceId, renewing.priceId)),
    db
      .select({
        ...subscriptionFactColumns,
        amount: planPrices.amount,
        currency: planPrices.currency,
        interval: planPrices.interval,
      })
      .from(subscriptions)
      .leftJoin(planPrices, eq(planPrices.stripePriceId, subscriptions.stripePriceId))
      .where(PAYING_ENDING),
    db
      .select({ day: utcDay(createdAt), n })
      .from(subscriptions)
      .where(and(sql`${createdAt} >= ${utc(start)}`, notInArray(subscriptions.status, ["incomplete", "incomplete_expired"])))
      .groupBy(utcDay(createdAt)),
    db
      .select({ day: utcDay(endedAt), n })
      .from(subscriptions)
      .where(and(eq(subscriptions.status, "canceled"), sql`${endedAt} >= ${utc(start)}`, sql`${endedAt} <= ${utc(now)}`))
      .groupBy(utcDay(endedAt)),
    // Whole UTC days from the daily rollup: the period starts at midnight UTC.
    db
      .select({ type: funnelDaily.type, n: sql<number>`coalesce(sum(${funnelDaily.count}), 0)::int` })
      .from(funnelDaily)
      .where(gte(funnelDaily.day, start.toISOString().slice(0, 10)))
      .groupBy(funnelDaily.type),
  ]);

  const price = (p: { amount: number | null; currency: string | null; interval: "month" | "year" | null }) =>
    p.amount !== null && p.currency !== null && p.interval !== null ? { amount: p.amount, currency: p.currency, interval: p.interval } : null;
  const mrrSubs: MrrSubscription[] = [
    ...renewingRows.map((r) => ({ ...RENEWING_FACTS, price: price(r), count: Number(r.n) })),
    ...otherPayingRows.map(({ amount, currency, interval, ...facts }) => ({ ...facts, price: price({ amount, currency, interval }) })),
  ];
  return {
    days,
    start,
    // Every active subscription renews or is set to cancel; every past due one is among the latter's rows.
    counts: statusCounts([...trialingRows, ...renewingRows.map((r) => ({ status: "active", n: r.n })), ...otherPayingRows.map((r) => ({ status: r.status, n: 1 }))]),
    mrr: computeMrr(mrrSubs, now, graceDays),
    series: dailySeries(start, days, newRows, churnRows),
    funnel: funnelSteps(funnelRows),
  };
}
