import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { VerifiedGift } from "@/lib/access/decide-access";

/** A gift as one request saw it: the decision's input, and what the page says about it. */
export interface GiftCheck {
  verified: VerifiedGift;
  giftId: number;
  senderName: string | null;
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
}

const toDate = (v: string | Date | null) => (v === null ? null : new Date(v));

function rowsOf(result: unknown): Row[] {
  return (Array.isArray(result) ? result : (result as { rows: Row[] }).rows) as Row[];
}

function checkFrom(row: Row | undefined, articleId: number, now: Date): GiftCheck | null {
  if (!row) return null;
  const verified: VerifiedGift = { articleId: row.article_id, expiresAt: toDate(row.expires_at), revoked: row.revoked_at !== null, admitted: row.admitted };
  const live = verified.articleId === articleId && !verified.revoked && (verified.expiresAt === null || verified.expiresAt > now);
  return { verified, giftId: row.id, senderName: row.sender_name, usedUp: live && !verified.admitted };
}

export interface OpenInput {
  tokenHash: string;
  articleId: number;
  browserHash: string;
  referrerHost: string | null;
  browserLimit: number;
  now: Date;
}

/**
 * Opens a gift link in one statement: finds the token, and for a browser new to this live link
 * counts it in under the row lock (`browsers_opened < limit` is re-checked on the locked row, so
 * concurrent browsers cannot pass the limit) and records the open, let in or not.
 */
export async function openGiftLink(db: Db, input: OpenInput): Promise<GiftCheck | null> {
  const { tokenHash, articleId, browserHash, referrerHost, browserLimit, now } = input;
  // Dates go as ISO strings: drivers differ on Date parameters in raw SQL.
  const at = now.toISOString();
  const live = sql`article_id = ${articleId} and revoked_at is null and (expires_at is null or expires_at > ${at}::timestamptz)`;
  const result = await db.execute(sql`
    with g as (
      select id, article_id, kind, expires_at, revoked_at, sender_name from gifts where token_hash = ${tokenHash}
    ), seen as (
      select o.admitted from gift_opens o join g on o.gift_id = g.id where o.browser_hash = ${browserHash}
    ), bump as (
      update gifts set browsers_opened = browsers_opened + 1
      where id = (select id from g) and not exists (select 1 from seen) and ${live}
        and (kind = 'publisher' or browsers_opened < ${browserLimit})
      returning id
    ), recorded as (
      insert into gift_opens (gift_id, browser_hash, admitted, referrer_host, opened_at)
      select id, ${browserHash}, exists (select 1 from bump), ${referrerHost}, ${at}::timestamptz from g
      where not exists (select 1 from seen) and ${live}
      on conflict do nothing
    )
    select g.*, coalesce((select admitted from seen), exists (select 1 from bump)) as admitted from g`);
  return checkFrom(rowsOf(result)[0], articleId, now);
}

export interface CookieCheckInput {
  giftId: number;
  articleId: number;
  browserHash: string;
  now: Date;
  /** A signed-in reader: their registration or subscription within 30 days of the open is credited to the gift. */
  convert: { userId: string; kind: "registered" | "subscribed" } | null;
}

/**
 * Checks a gift cookie in one statement: the gift as it is now (revocation and expiry take effect
 * on the next request, on every instance), whether this browser was let in, and, for a signed-in
 * reader, the conversion it credits (once per gift, reader and kind).
 */
export async function checkGiftCookie(db: Db, input: CookieCheckInput): Promise<GiftCheck | null> {
  const { giftId, articleId, browserHash, now, convert } = input;
  const at = now.toISOString();
  const conversion = convert
    ? sql`, credited as (
        insert into gift_conversions (gift_id, user_id, kind, at)
        select g.id, u.id, ${convert.kind}::gift_conversion_kind, ${at}::timestamptz from g, o, users u
        where u.id = ${convert.userId} and g.gifter_user_id is distinct from u.id
          and o.opened_at > ${at}::timestamptz - interval '30 days'
          and (${sql.raw(convert.kind === "subscribed" ? "true" : "false")} or u.created_at >= o.opened_at)
        on conflict do nothing
      )`
    : sql``;
  const result = await db.execute(sql`
    with g as (
      select id, article_id, kind, expires_at, revoked_at, sender_name, gifter_user_id from gifts where id = ${giftId}
    ), o as (
      select opened_at from gift_opens where gift_id = ${giftId} and browser_hash = ${browserHash} and admitted
    )${conversion}
    select g.id, g.article_id, g.kind, g.expires_at, g.revoked_at, g.sender_name, exists (select 1 from o) as admitted from g`);
  return checkFrom(rowsOf(result)[0], articleId, now);
}
