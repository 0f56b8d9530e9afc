// A newsroom-sized database for `npm run bench -- --scale`: articles, readers, subscriptions,
// sessions, server meters and funnel counts, generated inside PostgreSQL (INSERT … SELECT over
// generate_series), which is faster than sending rows over the wire. Deterministic: the same
// factor gives the same rows.
export const FULL_SCALE = { articles: 100_000, readers: 1_000_000, funnelCounts: 5_000_000 };

export interface ScaleSeedResult {
  seconds: number;
  counts: Record<string, number>;
}

/** Runs one SQL text (several statements allowed, no parameters) and answers the last one's rows. */
export type RunSql = (statement: string) => Promise<ReadonlyArray<Record<string, unknown>>>;

/**
 * Seeds an already migrated database (PostgreSQL or PGlite, its demo plans in place) at
 * `factor` × FULL_SCALE. One reader in five subscribes; one in five more is registered with a
 * session and a server meter.
 */
export async function seedAtScale(run: RunSql, factor: number, log: (line: string) => void = console.log): Promise<ScaleSeedResult> {
  const articles = Math.max(100, Math.round(FULL_SCALE.articles * factor));
  const readers = Math.max(1000, Math.round(FULL_SCALE.readers * factor));
  const funnel = Math.max(1000, Math.round(FULL_SCALE.funnelCounts * factor));
  const started = performance.now();
  const step = async (label: string, statement: string) => {
    const t = performance.now();
    await run(statement);
    log(`  ${label}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  };
  // Bulk load: nothing here must survive a crash.
  await run(`set synchronous_commit = off`);
  const plans = (await run(`select id, interval::text as interval from plans order by id`)) as Array<{ id: number; interval: string }>;
  const monthly = plans.find((p) => p.interval === "month");
  const yearly = plans.find((p) => p.interval === "year");
  if (!monthly || !yearly) throw new Error("seedAtScale needs the demo plans (a monthly and a yearly one)");
  await run(
    `insert into plan_prices (stripe_price_id, plan_id, amount, currency, interval)
     select 'price_scale_' || interval, id, amount, currency, interval from plans where id in (${monthly.id}, ${yearly.id})
     on conflict do nothing`,
  );

  // Articles over five years, newest first by number: 1 % drafts, 0.5 % scheduled; 70 % metered, 20 % free.
  await step(
    `${articles} articles`,
    `insert into articles (slug, title, dek, byline, published_at, access, created_at, updated_at)
     select 'scale-' || n, 'Scale story ' || n || ': the council votes on the ' || (array['budget','bridge','school','harbour','library'])[1 + n % 5],
            'What changed, and who it affects', 'Staff reporter',
            case when n % 100 = 0 then null when n % 200 = 1 then now() + (1 + n % 30) * interval '1 day' else at end,
            (case when n % 10 < 7 then 'metered' when n % 10 < 9 then 'free' else 'subscribers' end)::article_access,
            at - interval '1 hour', at
     from (select n, now() - (n::float8 / ${articles}) * interval '1825 days' as at from generate_series(1, ${articles}) n) s`,
  );
  await step(
    `${articles * 4} article blocks`,
    `insert into article_blocks (article_id, position, kind, text)
     select a.id, p, 'paragraph', 'Paragraph ' || p || ' of ' || a.slug || '. ' || repeat('The committee heard from residents for three hours before the vote. ', 5)
     from articles a cross join generate_series(0, 3) p where a.slug like 'scale-%'`,
  );

  // Readers over five years (reader n is newer than reader n - 1); ids are stable uuids from n.
  await step(
    `${readers} readers`,
    `insert into users (id, email, email_verified, role, created_at)
     select md5('reader' || n)::uuid::text, 'reader' || n || '@scale.test', case when n % 10 <> 0 then at end, 'reader', at
     from (select n, now() - ((${readers} - n)::float8 / ${readers}) * interval '1825 days' as at from generate_series(1, ${readers}) n) s`,
  );
  // Every fifth reader subscribes: 85 % renewing, 3 % set to cancel, 4 % past due, 5 % cancelled,
  // 2 % trialing, 1 % incomplete; one in three yearly. Created within the last three years.
  await step(
    `${Math.floor(readers / 5)} subscriptions`,
    `insert into subscriptions (stripe_subscription_id, stripe_customer_id, user_id, status, stripe_price_id, plan_id,
       current_period_start, current_period_end, cancel_at_period_end, canceled_at, ended_at, trial_end, stripe_created)
     select 'sub_scale_' || n, 'cus_scale_' || n, md5('reader' || n)::uuid::text, status::subscription_status,
            case when yearly then 'price_scale_year' else 'price_scale_month' end,
            case when yearly then ${yearly.id} else ${monthly.id} end,
            period_start, period_start + case when yearly then interval '1 year' else interval '1 month' end,
            status = 'active' and k between 85 and 87,
            case when status = 'canceled' then period_start end, case when status = 'canceled' then period_start end,
            case when status = 'trialing' then now() + interval '7 days' end,
            created
     from (
       select n, k, n % 3 = 0 as yearly,
              case when k < 88 then 'active' when k < 92 then 'past_due' when k < 97 then 'canceled' when k < 99 then 'trialing' else 'incomplete' end as status,
              now() - ((n::bigint * 7919) % 1095) * interval '1 day' - (n % 86400) * interval '1 second' as created,
              now() - (case when k between 88 and 91 then n % 6 else n % 28 end) * interval '1 day' as period_start
       from (select n, (n / 5) % 100 as k from generate_series(5, ${readers}, 5) n) s
     ) t`,
  );
  await step(
    `${Math.floor(readers / 5)} Stripe customers`,
    `insert into stripe_customers (stripe_customer_id, user_id) select 'cus_scale_' || n, md5('reader' || n)::uuid::text from generate_series(5, ${readers}, 5) n`,
  );
  await step(
    `${Math.floor(readers / 500)} grants`,
    `insert into grants (user_id, reason) select md5('reader' || n)::uuid::text, 'Press pass' from generate_series(3, ${readers}, 500) n`,
  );
  // Sessions for subscribers and registered readers (n % 5 in 0, 1); server meters for registered ones (n % 5 in 1, 2).
  await step(
    `${Math.floor((readers * 2) / 5)} sessions`,
    `insert into sessions (session_token, user_id, expires)
     select md5('session' || n), md5('reader' || n)::uuid::text, now() + interval '30 days' from generate_series(1, ${readers}) n where n % 5 in (0, 1)`,
  );
  await step(
    `${Math.floor((readers * 2) / 5)} server meters`,
    `insert into user_meters (user_id, window_start, article_ids)
     select md5('reader' || n)::uuid::text, extract(epoch from now())::int - (n % 86400), array[1 + n % ${articles}, 1 + (n * 7) % ${articles}]
     from generate_series(1, ${readers}) n where n % 5 in (1, 2)`,
  );
  // Funnel counts over a year (one row per kind per flush), most of them article views.
  await step(
    `${funnel} funnel counts`,
    `insert into funnel_events (type, at, article_id, count)
     select (case when n % 100 < 80 then 'article_view' when n % 100 < 95 then 'paywall_shown' when n % 100 < 99 then 'checkout_started' else 'subscribed' end)::funnel_event_type,
            now() - (n::float8 / ${funnel}) * interval '365 days', 1 + n % ${articles}, 1 + n % 20
     from generate_series(1, ${funnel}) n`,
  );
  // Fresh statistics and visibility maps, as autovacuum would leave them on a live database.
  await step("vacuum analyze", "vacuum analyze");
  const counts = await run(
    `select ${["articles", "article_blocks", "users", "subscriptions", "sessions", "user_meters", "funnel_events"].map((t) => `(select count(*)::int from ${t}) as ${t}`).join(", ")}`,
  );
  return { seconds: (performance.now() - started) / 1000, counts: counts[0] as Record<string, number> };
}
