import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { VerifiedGift } from "@/lib/access/decide-access";

/** A gift as one request saw it: the decision's input, and what the page says about it. */
export interface GiftCheck {
  verified: VerifiedGift;
  giftId: number;
  senderName: string | null;
  /** Its own article, not revoked, not expired. */
  live: boolean;
  /** Live, for this article, but this browser came after the browser limit. */
  usedUp: boolean;
}

interface Row {
  id: number;
  article_id: number;
  kind: "subscriber" | "publisher";
  expires_at: string | Date | null;
  revoked_at: string | Date | null;
  sender_name: string | null;
  admitted: boolean;
  /** This browser has an open on record (let in or refused). */
  counted: boolean;
}

const toDate = (v: string | Date | null) => (v === null ? null : new Date(v));

function rowsOf(result: unknown): Row[] {
  return (Array.isArray(result) ? result : (result as { rows: Row[] }).rows) as Row[];
}

function checkFrom(row: Row | undefined, articleId: number, now: Date): GiftCheck | null {
  if (!row) return null;
  const verified: VerifiedGift = { articleId: row.article_id, expiresAt: toDate(row.expires_at), revoked: row.revoked_at !== null, admitted: row.admitted };
  const live = verified.articleId === articleId && !verified.revoked && (verified.expiresAt === null || verified.expiresAt > now);
  return { verified, giftId: row.id, senderName: row.sender_name, live, usedUp: live && row.counted && !verified.admitted };
}

/**
 * Finds the gift a link's token names, counting nobody: the link only sends the browser on with a
 * cookie naming the gift, and the browser is counted when it comes back with it (openGiftBrowser).
 */
export async function findGiftLink(db: Db, tokenHash: string, articleId: number, now: Date): Promise<GiftCheck | null> {
  const result = await db.execute(sql`
    select id, article_id, kind, expires_at, revoked_at, sender_name, false as admitted, false as counted
    from gifts where token_hash = ${tokenHash}`);
  return checkFrom(rowsOf(result)[0], articleId, now);
}

export interface BrowserInput {
  giftId: number;
  articleId: number;
  browserHash: string;
  referrerHost: string | null;
  browserLimit: number;
  now: Date;
  /** A reader's own request (`read`) counts a browser new to the link; a recheck only looks. */
  count: boolean;
  /** A signed-in reader: their registration or subscription within 30 days of the open is credited to the gift. */
  convert: { userId: string; kind: "registered" | "subscribed" } | null;
}

/**
 * Checks a browser that came back with a gift's cookie, in one statement: the gift as it is now
 * (revocation and expiry take effect on the next request, on every instance); for a browser new
 * to the link, counts it in under the row lock of the link's pool (the gifter's first link to this
 * article this month: `browsers_opened < limit` is re-checked on the locked row, so concurrent
 * browsers cannot pass the limit, nor can a re-gift reset it) and records the open, let in or not.
 * A browser one of the pool's links already let in takes no second place. For a signed-in reader
 * it credits the conversion (once per gift, reader and kind).
 */
export async function openGiftBrowser(db: Db, input: BrowserInput): Promise<GiftCheck | null> {
  const { giftId, articleId, browserHash, referrerHost, browserLimit, now, convert } = input;
  // Dates go as ISO strings: drivers differ on Date parameters in raw SQL.
  const at = now.toISOString();
  const count = sql.raw(input.count ? "true" : "false");
  const conversion = convert
    ? sql`, credited as (
        insert into gift_conversions (gift_id, user_id, kind, at)
        select g.id, u.id, ${convert.kind}::gift_conversion_kind, ${at}::timestamptz from g, seen o, users u
        where u.id = ${convert.userId} and o.admitted and g.gifter_user_id is distinct from u.id
          and o.opened_at > ${at}::timestamptz - interval '30 days'
          and (${sql.raw(convert.kind === "subscribed" ? "true" : "false")} or u.created_at >= o.opened_at)
        on conflict do nothing
      )`
    : sql``;
  const result = await db.execute(sql`
    with g as (
      select id, article_id, kind, expires_at, revoked_at, sender_name, gifter_user_id, coalesce(pool_gift_id, id) as pool_id,
        (article_id = ${articleId} and revoked_at is null and (expires_at is null or expires_at > ${at}::timestamptz)) as live
      from gifts where id = ${giftId}
    ), seen as (
      select admitted, opened_at from gift_opens where gift_id = ${giftId} and browser_hash = ${browserHash}
    ), pooled as (
      select 1 from gift_opens o join gifts x on x.id = o.gift_id join g on coalesce(x.pool_gift_id, x.id) = g.pool_id
      where o.browser_hash = ${browserHash} and o.admitted and x.id <> g.id
    ), bump as (
      update gifts set browsers_opened = browsers_opened + 1
      where id = (select pool_id from g) and ${count} and (select live from g)
        and not exists (select 1 from seen) and not exists (select 1 from pooled)
        and (kind = 'publisher' or browsers_opened < ${browserLimit})
      returning id
    ), recorded as (
      insert into gift_opens (gift_id, browser_hash, admitted, referrer_host, opened_at)
      select id, ${browserHash}, exists (select 1 from bump) or exists (select 1 from pooled), ${referrerHost}, ${at}::timestamptz from g
      where ${count} and live and not exists (select 1 from seen)
      on conflict do nothing
    )${conversion}
    select g.id, g.article_id, g.kind, g.expires_at, g.revoked_at, g.sender_name,
      coalesce((select admitted from seen), exists (select 1 from bump) or exists (select 1 from pooled)) as admitted,
      (exists (select 1 from seen) or (${count} and g.live)) as counted
    from g`);
  return checkFrom(rowsOf(result)[0], articleId, now);
}
