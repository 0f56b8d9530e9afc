import "server-only";
import { and, desc, eq, gte, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { articles, conversions, funnelEvents, type SourceClass } from "@/db/schema";
import { csvLine } from "../shared/csv";
import { periodStart } from "../dashboard/queries";
import type { AttributionQuery } from "./form";

/** An article's conversions in the period; `paywallReaders` counts every source (the funnel keeps no source). */
export interface ArticleAttribution {
  articleId: number | null;
  title: string | null;
  slug: string | null;
  registrations: number;
  newsletterSignups: number;
  checkouts: number;
  subscriptions: number;
  /** Browsers that saw this article's paywall in the period (each once per 30-day attribution window). */
  paywallReaders: number;
  /** Subscriptions ÷ paywall readers, in percent (two decimals); null without any. */
  conversion: number | null;
}

export interface SourceAttribution {
  sourceClass: SourceClass;
  referrerHost: string | null;
  utmCampaign: string | null;
  registrations: number;
  newsletterSignups: number;
  checkouts: number;
  subscriptions: number;
}

export interface AttributionReport {
  start: Date;
  bySubscriptions: ArticleAttribution[];
  byConversion: ArticleAttribution[];
  bySourceClass: Array<{ sourceClass: SourceClass; subscriptions: number; checkouts: number; registrations: number; newsletterSignups: number }>;
  bySource: SourceAttribution[];
}

/** An article needs this many paywall readers before its conversion rate is ranked (fewer is noise). */
export const MIN_READERS_FOR_RATE = 20;
const TOP = 20;

const counts = {
  registrations: sql<number>`count(*) filter (where ${conversions.event} = 'registered')::int`,
  newsletterSignups: sql<number>`count(*) filter (where ${conversions.event} = 'newsletter_signup')::int`,
  checkouts: sql<number>`count(*) filter (where ${conversions.event} = 'checkout_started')::int`,
  subscriptions: sql<number>`count(*) filter (where ${conversions.event} = 'subscribed')::int`,
};

function filter(query: AttributionQuery, start: Date): SQL | undefined {
  return and(gte(conversions.at, start), query.source ? eq(conversions.sourceClass, query.source) : undefined);
}

export function conversionRate(subscriptions: number, readers: number): number | null {
  return readers > 0 ? Math.round((subscriptions / readers) * 10_000) / 100 : null;
}

export async function loadAttribution(db: Db, query: AttributionQuery, now = new Date()): Promise<AttributionReport> {
  const start = periodStart(now, query.days);
  const where = filter(query, start);
  const [perArticle, readers, perClass, perSource] = await Promise.all([
    db
      .select({ articleId: conversions.articleId, title: articles.title, slug: articles.slug, ...counts })
      .from(conversions)
      .leftJoin(articles, eq(articles.id, conversions.articleId))
      .where(where)
      .groupBy(conversions.articleId, articles.title, articles.slug),
    db
      .select({ articleId: funnelEvents.articleId, readers: sql<number>`coalesce(sum(${funnelEvents.count}), 0)::int` })
      .from(funnelEvents)
      .where(and(eq(funnelEvents.type, "paywall_reader"), gte(funnelEvents.at, start)))
      .groupBy(funnelEvents.articleId),
    db.select({ sourceClass: conversions.sourceClass, ...counts }).from(conversions).where(where).groupBy(conversions.sourceClass),
    db
      .select({ sourceClass: conversions.sourceClass, referrerHost: conversions.referrerHost, utmCampaign: conversions.utmCampaign, ...counts })
      .from(conversions)
      .where(where)
      .groupBy(conversions.sourceClass, conversions.referrerHost, conversions.utmCampaign)
      .orderBy(desc(counts.subscriptions), desc(counts.checkouts), desc(sql`count(*)`))
      .limit(TOP),
  ]);
  const readersOf = new Map(readers.map((v) => [v.articleId, Number(v.readers)]));
  const rows: ArticleAttribution[] = perArticle.map((r) => {
    const paywallReaders = r.articleId === null ? 0 : (readersOf.get(r.articleId) ?? 0);
    return { ...r, paywallReaders, conversion: conversionRate(r.subscriptions, paywallReaders) };
  });
  const bySubscriptions = rows
    .filter((r) => r.subscriptions > 0)
    .sort((a, b) => b.subscriptions - a.subscriptions || b.checkouts - a.checkouts)
    .slice(0, TOP);
  const byConversion = rows
    .filter((r) => r.articleId !== null && r.paywallReaders >= MIN_READERS_FOR_RATE && r.subscriptions > 0)
    .sort((a, b) => b.conversion! - a.conversion! || b.subscriptions - a.subscriptions)
    .slice(0, TOP);
  const bySourceClass = perClass.sort((a, b) => b.subscriptions - a.subscriptions || b.checkouts - a.checkouts);
  return { start, bySubscriptions, byConversion, bySourceClass, bySource: perSource };
}

export const ATTRIBUTION_CSV_HEADER = [
  "at",
  "event",
  "article_slug",
  "article_title",
  "entry",
  "source_class",
  "referrer_host",
  "utm_source",
  "utm_medium",
  "utm_campaign",
  "utm_term",
  "utm_content",
  "offer_code",
] as const;

const CSV_BATCH = 1_000;

/** Every conversion of the period (and source) as CSV, oldest first, streamed in batches; every field escaped. */
export function attributionCsvStream(db: Db, query: AttributionQuery, now = new Date()): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const where = filter(query, periodStart(now, query.days));
  let afterId = 0;
  let started = false;
  return new ReadableStream({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(csvLine(ATTRIBUTION_CSV_HEADER)));
      }
      const batch = await db
        .select({ id: conversions.id, row: conversions, slug: articles.slug, title: articles.title })
        .from(conversions)
        .leftJoin(articles, eq(articles.id, conversions.articleId))
        .where(and(where, sql`${conversions.id} > ${afterId}`))
        .orderBy(conversions.id)
        .limit(CSV_BATCH);
      const text = batch
        .map(({ row: c, slug, title }) =>
          csvLine([c.at, c.event, slug, title, c.entry, c.sourceClass, c.referrerHost, c.utmSource, c.utmMedium, c.utmCampaign, c.utmTerm, c.utmContent, c.offerCode]),
        )
        .join("");
      if (text) controller.enqueue(encoder.encode(text));
      afterId = batch.at(-1)?.id ?? afterId;
      if (batch.length < CSV_BATCH) controller.close();
    },
  });
}
