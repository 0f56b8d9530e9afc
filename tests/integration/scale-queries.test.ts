/**
 * The hot queries on a database seeded at 2 % of the scale bench (20,000 readers, 4,000
 * subscriptions, 2,000 articles, 100,000 funnel counts), analyzed: every query the reading path
 * and the admin pages run is captured from drizzle and EXPLAINed with sequential scans priced out
 * of the planner's choice, so one shows only where no index can serve the query. (At this size a
 * sequential scan is often the cheaper plan; `npm run bench -- --scale` EXPLAINs the same queries
 * at full size with the default settings.) Also: keyset paging visits every row exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedIfEmpty } from "@/lib/startup/seed";
import { listArticlesForAdmin } from "@/lib/admin/articles/queries";
import type { ArticleListQuery } from "@/lib/admin/articles/form";
import { loadDashboard } from "@/lib/admin/dashboard/queries";
import { listSubscribers, subscribersCsvStream } from "@/lib/admin/subscribers/queries";
import { subscriberQuerySchema } from "@/lib/admin/subscribers/form";
import { HOT_PATHS, openExplainingDb, type ExplainingDb } from "@/tools/bench/hot-queries";
import { seedAtScale } from "@/tools/bench/scale-seed";
import { createTestDatabase, engines, type TestDatabase } from "./support/databases";

const FACTOR = 0.02;

describe.each(engines)("at scale (%s)", (engine) => {
  let server: TestDatabase | undefined;
  let explaining: ExplainingDb;
  const now = new Date();

  beforeAll(async () => {
    const settings = { enable_seqscan: "off" };
    if (engine === "postgres") server = await createTestDatabase("postgres"); // migrated
    explaining = await openExplainingDb(server ? { url: server.url! } : { pglite: true }, settings);
    await seedIfEmpty(explaining.db);
    await seedAtScale(explaining.run, FACTOR, () => {});
  }, 180_000);
  afterAll(async () => {
    await explaining?.close();
    await server?.drop();
  });

  it.each(HOT_PATHS.map((p) => [p.name, p] as const))("%s: every big table is read through an index", async (_, path) => {
    const explained = await explaining.explainEach(() => path.run(explaining.db, now));
    expect(explained.length).toBeGreaterThan(0);
    const scanning = explained.filter((e) => e.seqScans.length > 0).map((e) => `${e.seqScans.join(", ")}: ${e.query.slice(0, 300)}`);
    expect(scanning).toEqual([]);
  });

  it("the daily funnel rollup (kept by a trigger) holds the same counts as the funnel events", async () => {
    const totals = (table: string) => explaining.run(`select type::text as type, sum(count)::int as n from ${table} group by type order by type`);
    const raw = await totals("funnel_events");
    expect(raw.length).toBe(4);
    expect(await totals("funnel_daily")).toEqual(raw);
  });

  it("the dashboard's counts by status (taken from the MRR's rows) equal a plain count", async () => {
    const rows = await explaining.run(`select status::text as status, count(*)::int as n from subscriptions group by status`);
    const count = (status: string) => Number(rows.find((r) => r.status === status)?.n ?? 0);
    const { counts } = await loadDashboard(explaining.db, 30, 3, now);
    expect(counts).toEqual({ active: count("active"), trialing: count("trialing"), pastDue: count("past_due") });
    expect(counts.active).toBeGreaterThan(3000);
  });

  it("keyset paging visits every subscriber and every article once; the CSV holds them all", async () => {
    const db = explaining.db;
    const seen: string[] = [];
    let page = await listSubscribers(db, { q: undefined, after: undefined }, 3, now);
    const total = page.total;
    for (;;) {
      seen.push(...page.rows.map((r) => r.userId));
      if (!page.next) break;
      page = await listSubscribers(db, { q: undefined, after: page.next }, 3, now);
    }
    expect(total).toBe(4000 + 40); // every fifth reader subscribes; 40 others are comped
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);

    const lines = async (q?: string) => (await new Response(subscribersCsvStream(db, q, 3, now)).text()).split("\r\n").filter(Boolean);
    expect(await lines()).toHaveLength(total + 1);
    const searched = (await lines(subscriberQuerySchema.parse({ q: " READER19 " }).q)).slice(1); // trimmed, lower-cased
    expect(searched).toHaveLength(1 + 10 + 100 + 1000); // reader19, reader190–199, reader1900–1999, reader19000–19999
    expect(searched.every((line) => line.startsWith("reader19"))).toBe(true);

    const ids: number[] = [];
    const query: ArticleListQuery = { q: undefined, access: "free", status: "published", after: undefined };
    let articles = await listArticlesForAdmin(db, query, now);
    for (;;) {
      ids.push(...articles.rows.map((r) => r.id));
      if (!articles.next) break;
      articles = await listArticlesForAdmin(db, { ...query, after: articles.next }, now);
    }
    expect(articles.total).toBeGreaterThan(300);
    expect(ids).toHaveLength(articles.total);
    expect(new Set(ids).size).toBe(articles.total);
  }, 120_000);
});
