import "server-only";
import { and, asc, desc, eq, gte, inArray, lte, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { articles, conversions, experimentEvents, experiments, experimentVariants, offers, plans, segmentRules, type Experiment, type ExperimentVariant } from "@/db/schema";
import { experimentResults, type ExperimentResults, type VariantCounts } from "@/lib/experiments/results";

export type ExperimentWithVariants = Omit<Experiment, "salt"> & { variants: ExperimentVariant[] };

/** Every experiment, newest first, with its variants (the salt never leaves the database layer). */
export async function listExperiments(db: Db): Promise<ExperimentWithVariants[]> {
  const rows = await db
    .select({ id: experiments.id, name: experiments.name, state: experiments.state, createdAt: experiments.createdAt, startedAt: experiments.startedAt, stoppedAt: experiments.stoppedAt, appliedVariantId: experiments.appliedVariantId, segmentId: experiments.segmentId })
    .from(experiments)
    .orderBy(desc(experiments.id));
  if (rows.length === 0) return [];
  const variants = await db
    .select()
    .from(experimentVariants)
    .where(inArray(experimentVariants.experimentId, rows.map((r) => r.id)))
    .orderBy(asc(experimentVariants.position));
  return rows.map((r) => ({ ...r, variants: variants.filter((v) => v.experimentId === r.id) }));
}

/** The choices the form offers: offers, active plans and segment rules, by id. */
export async function experimentFormChoices(db: Db) {
  const [offerRows, planRows, segmentRows] = await Promise.all([
    db.select({ id: offers.id, name: offers.name, code: offers.code }).from(offers).orderBy(asc(offers.id)),
    db.select({ id: plans.id, name: plans.name }).from(plans).where(eq(plans.active, true)).orderBy(asc(plans.sortOrder), asc(plans.id)),
    db.select({ id: segmentRules.id, name: segmentRules.name }).from(segmentRules).orderBy(asc(segmentRules.position), asc(segmentRules.id)),
  ]);
  return { offers: offerRows, plans: planRows, segments: segmentRows };
}

export interface MoneyByCurrency {
  currency: string;
  amount: number;
}

export interface ExperimentReport {
  experiment: ExperimentWithVariants;
  results: ExperimentResults;
  /** Per variant id: first payments and MRR added by its subscriptions, per currency. */
  revenue: Map<number, { firstPayments: MoneyByCurrency[]; mrrAdded: MoneyByCurrency[] }>;
  /** Subscriptions per variant and the article they were credited to, most first. */
  articles: Array<{ variantId: number; articleId: number | null; slug: string | null; title: string | null; subscriptions: number }>;
}

/**
 * An experiment's results: readers and paywall views from the batched counts, conversions from
 * the rows credited to its variants while it ran (a conversion names every variant the browser
 * had been shown), revenue from each subscription's plan and first paid invoice.
 */
export async function experimentReport(db: Db, id: number): Promise<ExperimentReport | null> {
  const [experiment] = (await listExperiments(db)).filter((e) => e.id === id);
  if (!experiment) return null;
  const ids = experiment.variants.map((v) => v.id);
  const idList = sql`array[${sql.join(ids.map((v) => sql`${v}::integer`), sql`, `)}]`;
  const window = and(
    sql`${conversions.variantIds} && ${idList}`,
    experiment.startedAt ? gte(conversions.at, experiment.startedAt) : sql`false`,
    experiment.stoppedAt ? lte(conversions.at, experiment.stoppedAt) : undefined,
  );
  const [events, credited, money, byArticle] = await Promise.all([
    db
      .select({ variantId: experimentEvents.variantId, type: experimentEvents.type, n: sql<number>`sum(${experimentEvents.count})::integer` })
      .from(experimentEvents)
      .where(inArray(experimentEvents.variantId, ids))
      .groupBy(experimentEvents.variantId, experimentEvents.type),
    db
      .select({ variantId: sql<number>`v.id`, event: conversions.event, n: sql<number>`count(*)::integer` })
      .from(conversions)
      .innerJoin(sql`unnest(${conversions.variantIds}) as v(id)`, sql`true`)
      .where(and(window, sql`v.id = any(${idList})`))
      .groupBy(sql`v.id`, conversions.event),
    db.execute(sql`
      select v.id as variant_id, p.currency,
        coalesce(sum(first_paid.amount), 0)::bigint as first_payment,
        sum(case when p.interval = 'year' then p.amount / 12.0 else p.amount end)::bigint as mrr
      from ${conversions}
      cross join unnest(${conversions.variantIds}) as v(id)
      join checkout_attempts ca on ca.stripe_session_id = ${conversions.checkoutSessionId}
      join ${plans} p on p.id = ca.plan_id
      left join lateral (
        select i.amount_paid as amount from invoices i
        join subscriptions s on s.stripe_subscription_id = i.stripe_subscription_id
        where s.user_id = coalesce(ca.owner_user_id, ${conversions.userId}) and s.plan_id = ca.plan_id and i.amount_paid > 0
        order by i.stripe_created asc limit 1
      ) first_paid on true
      where ${conversions.event} = 'subscribed' and ${window} and v.id = any(${idList})
      group by v.id, p.currency`),
    db
      .select({ variantId: sql<number>`v.id`, articleId: conversions.articleId, slug: articles.slug, title: articles.title, subscriptions: sql<number>`count(*)::integer` })
      .from(conversions)
      .innerJoin(sql`unnest(${conversions.variantIds}) as v(id)`, sql`true`)
      .leftJoin(articles, eq(articles.id, conversions.articleId))
      .where(and(window, eq(conversions.event, "subscribed"), sql`v.id = any(${idList})`))
      .groupBy(sql`v.id`, conversions.articleId, articles.slug, articles.title)
      .orderBy(sql`count(*) desc`, sql`v.id`)
      .limit(50),
  ]);
  const count = (variantId: number, type: string) => events.find((e) => e.variantId === variantId && e.type === type)?.n ?? 0;
  const conv = (variantId: number, event: string) => credited.find((c) => Number(c.variantId) === variantId && c.event === event)?.n ?? 0;
  const counts: VariantCounts[] = experiment.variants.map((v) => ({
    variantId: v.id,
    name: v.name,
    weight: v.weight,
    readers: count(v.id, "reader"),
    paywallViews: count(v.id, "paywall_view"),
    registrations: conv(v.id, "registered"),
    newsletterSignups: conv(v.id, "newsletter_signup"),
    checkouts: conv(v.id, "checkout_started"),
    subscriptions: conv(v.id, "subscribed"),
  }));
  const revenue: ExperimentReport["revenue"] = new Map();
  // PGlite answers { rows }, postgres.js an array.
  const moneyRows = (Array.isArray(money) ? money : (money as { rows: unknown[] }).rows) as Array<{ variant_id: number; currency: string; first_payment: string; mrr: string }>;
  for (const row of moneyRows) {
    const entry = revenue.get(Number(row.variant_id)) ?? { firstPayments: [], mrrAdded: [] };
    entry.firstPayments.push({ currency: row.currency, amount: Number(row.first_payment) });
    entry.mrrAdded.push({ currency: row.currency, amount: Number(row.mrr) });
    revenue.set(Number(row.variant_id), entry);
  }
  return { experiment, results: experimentResults(counts), revenue, articles: byArticle.map((a) => ({ ...a, variantId: Number(a.variantId) })) };
}
