import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { rowsOf } from "@/lib/newsletters/rows";

/** The newsletter charts: each one query, over the last `days` UTC days. */

export interface SubscriberPoint {
  day: string;
  subscribers: number;
}

/** Subscribers on a list at the end of each day (from sign-up and unsubscribe dates). */
export async function subscribersOverTime(db: Db, newsletterId: number, days: number): Promise<SubscriberPoint[]> {
  const rows = await rowsOf<{ day: string; n: number }>(
    db,
    sql`select to_char(d, 'YYYY-MM-DD') as day,
      (select count(*)::int from newsletter_subscriptions s where s.newsletter_id = ${newsletterId}
        and s.subscribed_at < d + interval '1 day' and (s.unsubscribed_at is null or s.unsubscribed_at >= d + interval '1 day')) as n
      from generate_series((now() at time zone 'UTC')::date - ${days - 1}::int, (now() at time zone 'UTC')::date, interval '1 day') d order by d`,
  );
  return rows.map((r) => ({ day: r.day, subscribers: Number(r.n) }));
}

export interface SignupPoint {
  day: string;
  signups: number;
}

/** New subscriptions (to any list) per day. */
export async function signupsPerDay(db: Db, days: number): Promise<SignupPoint[]> {
  const rows = await rowsOf<{ day: string; n: number }>(
    db,
    sql`select to_char(d, 'YYYY-MM-DD') as day, count(s.user_id)::int as n
      from generate_series((now() at time zone 'UTC')::date - ${days - 1}::int, (now() at time zone 'UTC')::date, interval '1 day') d
      left join newsletter_subscriptions s on (s.subscribed_at at time zone 'UTC')::date = d::date
      group by d order by d`,
  );
  return rows.map((r) => ({ day: r.day, signups: Number(r.n) }));
}

export interface Conversion {
  /** Readers who have been on any list. */
  subscribers: number;
  /** Of them, those who started a paid subscription after their first sign-up. */
  convertedAfter: number;
  /** Of them, those paying now (a live subscription, whenever it started). */
  payingNow: number;
}

export async function newsletterConversion(db: Db): Promise<Conversion> {
  const [row] = await rowsOf<{ subscribers: number; converted: number; paying: number }>(
    db,
    sql`with readers as (select user_id, min(subscribed_at) as first_at from newsletter_subscriptions group by user_id)
      select count(*)::int as subscribers,
        count(*) filter (where exists (select 1 from subscriptions p where p.user_id = r.user_id
          and p.stripe_created - p.clock_offset_seconds * interval '1 second' >= r.first_at))::int as converted,
        count(*) filter (where exists (select 1 from subscriptions p where p.user_id = r.user_id
          and p.status in ('trialing', 'active', 'past_due')))::int as paying
      from readers r`,
  );
  return { subscribers: Number(row?.subscribers ?? 0), convertedAfter: Number(row?.converted ?? 0), payingNow: Number(row?.paying ?? 0) };
}

