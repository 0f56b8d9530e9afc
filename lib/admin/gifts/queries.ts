import "server-only";
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { gifts, plans } from "@/db/schema";
import { publisherToken } from "@/lib/gifts/gift-token";

export interface GiftTotals {
  gifts: number;
  opens: number;
  registrations: number;
  subscriptions: number;
}

export interface ArticleGiftStats extends GiftTotals {
  articleId: number;
  title: string;
  slug: string;
}

export interface GifterGiftStats extends GiftTotals {
  userId: string;
  email: string | null;
}

export interface FlaggedLink {
  giftId: number;
  articleTitle: string;
  gifterEmail: string | null;
  kind: "subscriber" | "publisher";
  browsers: number;
  refused: number;
  topReferrer: string | null;
  topReferrerShare: number;
  revoked: boolean;
  why: string;
}

/** A referring site "mostly" sends a link's opens from this many opens on, when it sends over half. */
const REFERRER_MIN_OPENS = 5;

function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

const num = (v: unknown) => Number(v ?? 0);

// Per gift: browsers let in, and the conversions credited to it (within 30 days of an open, see verify-gift.ts).
const perGift = sql`
  select g.id, g.article_id, g.gifter_user_id, g.kind, g.browsers_opened,
    (select count(*) from gift_conversions c where c.gift_id = g.id and c.kind = 'registered') as registrations,
    (select count(*) from gift_conversions c where c.gift_id = g.id and c.kind = 'subscribed') as subscriptions
  from gifts g`;

/** Gifts sent (subscribers' links), opens, registrations and subscriptions, per article, busiest first. */
export async function giftStatsByArticle(db: Db, limit = 50): Promise<ArticleGiftStats[]> {
  const rows = rowsOf<Record<string, unknown>>(
    await db.execute(sql`
      select a.id as article_id, a.title, a.slug, count(*) filter (where p.kind = 'subscriber') as gifts,
        sum(p.browsers_opened) as opens, sum(p.registrations) as registrations, sum(p.subscriptions) as subscriptions
      from (${perGift}) p join articles a on a.id = p.article_id
      group by a.id order by sum(p.browsers_opened) desc, a.id desc limit ${limit}`),
  );
  return rows.map((r) => ({ articleId: num(r.article_id), title: String(r.title), slug: String(r.slug), ...totals(r) }));
}

/** The same per subscriber who gives. */
export async function giftStatsByGifter(db: Db, limit = 50): Promise<GifterGiftStats[]> {
  const rows = rowsOf<Record<string, unknown>>(
    await db.execute(sql`
      select u.id as user_id, u.email, count(*) as gifts, sum(p.browsers_opened) as opens,
        sum(p.registrations) as registrations, sum(p.subscriptions) as subscriptions
      from (${perGift}) p join users u on u.id = p.gifter_user_id
      group by u.id order by count(*) desc, u.id limit ${limit}`),
  );
  return rows.map((r) => ({ userId: String(r.user_id), email: (r.email as string | null) ?? null, ...totals(r) }));
}

function totals(r: Record<string, unknown>): GiftTotals {
  return { gifts: num(r.gifts), opens: num(r.opens), registrations: num(r.registrations), subscriptions: num(r.subscriptions) };
}

/** Links tried by more browsers than the limit let in, or opened mostly from one referring site. */
export async function flaggedGiftLinks(db: Db, limit = 50): Promise<FlaggedLink[]> {
  const rows = rowsOf<Record<string, unknown>>(
    await db.execute(sql`
      with per_link as (
        select o.gift_id, count(*) as browsers, count(*) filter (where not o.admitted) as refused
        from gift_opens o group by o.gift_id
      ), referrers as (
        select distinct on (o.gift_id) o.gift_id, o.referrer_host, count(*) as n
        from gift_opens o where o.referrer_host is not null
        group by o.gift_id, o.referrer_host order by o.gift_id, count(*) desc, o.referrer_host
      )
      select g.id, a.title, u.email, g.kind, g.revoked_at is not null as revoked, l.browsers, l.refused,
        r.referrer_host, coalesce(r.n, 0) as referrer_opens
      from per_link l join gifts g on g.id = l.gift_id join articles a on a.id = g.article_id
      left join users u on u.id = g.gifter_user_id left join referrers r on r.gift_id = l.gift_id
      where l.refused > 0 or (l.browsers >= ${REFERRER_MIN_OPENS} and coalesce(r.n, 0) * 2 > l.browsers)
      order by l.refused desc, l.browsers desc limit ${limit}`),
  );
  return rows.map((r) => {
    const browsers = num(r.browsers);
    const refused = num(r.refused);
    const share = browsers > 0 ? num(r.referrer_opens) / browsers : 0;
    const reasons = [
      refused > 0 ? `${refused} ${refused === 1 ? "browser" : "browsers"} over the limit` : null,
      browsers >= REFERRER_MIN_OPENS && share > 0.5 ? `${Math.round(share * 100)}% of opens from ${String(r.referrer_host)}` : null,
    ].filter(Boolean);
    return {
      giftId: num(r.id),
      articleTitle: String(r.title),
      gifterEmail: (r.email as string | null) ?? null,
      kind: r.kind as FlaggedLink["kind"],
      browsers,
      refused,
      topReferrer: (r.referrer_host as string | null) ?? null,
      topReferrerShare: share,
      revoked: r.revoked === true,
      why: reasons.join("; "),
    };
  });
}

/** Every plan (archived ones too: their subscribers still give) with its monthly gift allowance. */
export function listPlanAllowances(db: Db) {
  return db
    .select({ id: plans.id, name: plans.name, active: plans.active, giftAllowance: plans.giftAllowance })
    .from(plans)
    .orderBy(asc(plans.sortOrder), asc(plans.id));
}

/** An article's live publisher link (no expiry, no browser limit), with its token and counted opens. */
export async function livePublisherLink(db: Db, articleId: number): Promise<{ id: number; token: string; opens: number; createdAt: Date } | null> {
  const [row] = await db
    .select({ id: gifts.id, opens: gifts.browsersOpened, createdAt: gifts.createdAt })
    .from(gifts)
    .where(and(eq(gifts.articleId, articleId), eq(gifts.kind, "publisher"), isNull(gifts.revokedAt)));
  return row ? { ...row, token: publisherToken(row.id) } : null;
}
