// The hot paths' queries, captured as they run and EXPLAINed: used by the scale bench (full size,
// default planner settings) and by tests/integration/scale-queries.test.ts (small, in CI).
import { createHash } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import type { Db } from "@/db/client";
import { migrateEmbedded } from "@/db/migrate";
import * as schema from "@/db/schema";
import { listArticlesForAdmin } from "@/lib/admin/articles/queries";
import { billingChecks } from "@/lib/admin/subscribers/billing-checks";
import { loadDashboard } from "@/lib/admin/dashboard/queries";
import { listSubscribers, subscribersCsvStream } from "@/lib/admin/subscribers/queries";
import { readerDetail } from "@/lib/admin/subscribers/reader-detail";
import { loadSessionReaderFacts } from "@/lib/access/reader-record";
import { loadUserMeter } from "@/lib/access/user-meter";
import { findPublishedArticleMeta, listPublishedArticles, loadBlocks } from "@/lib/content/articles";
import type { RunSql } from "./scale-seed";

/** Tables that grow with the newsroom: reading one from end to end is a defect on a hot path. */
export const BIG_TABLES = new Set(["articles", "article_blocks", "users", "subscriptions", "stripe_customers", "sessions", "user_meters", "funnel_events"]);

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  Plans?: PlanNode[];
}
export interface ExplainedQuery {
  query: string;
  seqScans: string[];
}
export interface ExplainingDb {
  db: Db;
  run: RunSql;
  /** Runs `work`, then EXPLAINs every SELECT it ran: which big tables each scans sequentially. */
  explainEach(work: () => Promise<unknown>): Promise<ExplainedQuery[]>;
  close(): Promise<void>;
}

/**
 * A drizzle handle that logs every query, on PostgreSQL (an existing, migrated database) or on a
 * new in-memory PGlite (migrated here). `settings` are planner settings for the session.
 */
export async function openExplainingDb(target: { url: string } | { pglite: true }, settings: Record<string, string> = {}): Promise<ExplainingDb> {
  const captured: Array<{ query: string; params: unknown[] }> = [];
  const logger = { logQuery: (query: string, params: unknown[]) => void captured.push({ query, params }) };
  let db: Db;
  let run: RunSql;
  let explain: (query: string, params: unknown[]) => Promise<ReadonlyArray<Record<string, unknown>>>;
  let close: () => Promise<void>;
  if ("url" in target) {
    const client = postgres(target.url, { max: 4, onnotice: () => {}, connection: settings });
    db = drizzlePostgres({ client, schema, logger });
    run = (statement) => client.unsafe(statement);
    explain = (query, params) => client.unsafe(`explain (format json) ${query}`, params as never[]);
    close = () => client.end();
  } else {
    const client = await PGlite.create("memory://");
    for (const [name, value] of Object.entries(settings)) await client.query(`select set_config($1, $2, false)`, [name, value]);
    db = drizzlePglite({ client, schema, logger });
    await migrateEmbedded(db);
    run = async (statement) => (await client.exec(statement)).at(-1)?.rows ?? [];
    explain = async (query, params) => (await client.query<Record<string, unknown>>(`explain (format json) ${query}`, params)).rows;
    close = () => client.close();
  }
  const seqScans = (node: PlanNode): string[] => [
    ...(node["Node Type"] === "Seq Scan" && node["Relation Name"] && BIG_TABLES.has(node["Relation Name"]) ? [node["Relation Name"]] : []),
    ...(node.Plans ?? []).flatMap(seqScans),
  ];
  return {
    db,
    run,
    close,
    async explainEach(work) {
      captured.length = 0;
      await work();
      const explained: ExplainedQuery[] = [];
      for (const { query, params } of captured.splice(0).filter((c) => /^\s*select\b/i.test(c.query))) {
        const plan = (await explain(query, params))[0]!["QUERY PLAN"];
        const [root] = (typeof plan === "string" ? JSON.parse(plan) : plan) as Array<{ Plan: PlanNode }>;
        explained.push({ query, seqScans: seqScans(root!.Plan) });
      }
      return explained;
    },
  };
}

const sessionToken = (n: number) => createHash("md5").update(`session${n}`).digest("hex");

/**
 * The hot paths, on a database seeded by seedAtScale: what a reader's request and each admin
 * page run. Each throws if the seeded data is not there, so an empty run cannot pass.
 */
export const HOT_PATHS: ReadonlyArray<{ name: string; run(db: Db, now: Date): Promise<void> }> = [
  {
    name: "reading path (article, blocks, front page, session, server meter)",
    async run(db, now) {
      const meta = await findPublishedArticleMeta(db, "scale-2", now);
      if (!meta || (await loadBlocks(db, meta.id, 0, 2)).length !== 2) throw new Error("no seeded article scale-2");
      await listPublishedArticles(db, now);
      // Reader 5 subscribes; reader 6 is registered, with a server meter.
      if (!(await loadSessionReaderFacts(db, sessionToken(5), now))) throw new Error("no seeded subscriber session");
      const registered = await loadSessionReaderFacts(db, sessionToken(6), now);
      if (!registered || !(await loadUserMeter(db, registered.userId))) throw new Error("no seeded registered reader");
    },
  },
  {
    name: "dashboard (7, 30 and 90 days)",
    async run(db, now) {
      for (const days of [7, 30, 90] as const) {
        if ((await loadDashboard(db, days, 3, now)).counts.active === 0) throw new Error("no seeded subscriptions");
      }
    },
  },
  {
    name: "subscribers (first page, next page, search, next search page, billing checks, one reader)",
    async run(db, now) {
      const first = await listSubscribers(db, { q: undefined, after: undefined }, 3, now);
      if (!first.next) throw new Error("fewer than two pages of seeded subscribers");
      await listSubscribers(db, { q: undefined, after: first.next }, 3, now);
      const searched = await listSubscribers(db, { q: "reader1", after: undefined }, 3, now);
      if (!searched.next) throw new Error("fewer than two pages of seeded readers matching reader1");
      await listSubscribers(db, { q: "reader1", after: searched.next }, 3, now);
      await billingChecks(db);
      await readerDetail(db, first.rows[0]!.userId, 3, now);
    },
  },
  {
    name: "article list (first page, next page)",
    async run(db, now) {
      const query = { q: undefined, access: undefined, status: undefined, after: undefined };
      const first = await listArticlesForAdmin(db, query, now);
      if (!first.next) throw new Error("fewer than two pages of seeded articles");
      await listArticlesForAdmin(db, { ...query, after: first.next }, now);
    },
  },
  {
    name: "CSV export (header and two batches)",
    async run(db, now) {
      const reader = subscribersCsvStream(db, undefined, 3, now).getReader();
      for (let i = 0; i < 3; i++) if ((await reader.read()).done) throw new Error("the export ended early");
      await reader.cancel();
    },
  },
];
