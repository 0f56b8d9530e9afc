// The faults suite's cluster: two production servers behind nginx (tools/cluster) on a fresh
// database, the Stripe emulator sending real signed webhooks through nginx, and readers of each
// kind (anonymous, registered, subscribers) prepared in the database.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { lte } from "drizzle-orm";
import Stripe from "stripe";
import { openDatabase, type DbHandle } from "@/db/client";
import { articles, sessions, subscriptions, users } from "@/db/schema";
import { startCluster, type Cluster } from "@/tools/cluster/cluster";
import { startThrowawayPostgres, type ThrowawayPostgres } from "@/tools/cluster/throwaway-postgres";
import { prepareDatabase } from "@/tests/support/servers/prepared-server";

/**
 * nginx listens here; the app servers, emulator and SMTP sink follow, a throw-away PostgreSQL at
 * +10; the suite uses up to +26. Beside E2E_PORT when that is set, so one setting keeps runs apart.
 */
export const FAULTS_PORT = Number(process.env.FAULTS_PORT ?? (process.env.E2E_PORT ? Number(process.env.E2E_PORT) + 30 : 3820));
export const SESSION_COOKIE = "authjs.session-token";

export interface Reader {
  kind: "anonymous" | "registered" | "subscriber";
  /** Sent as the Cookie header; an anonymous reader keeps the meter cookie the site sets. */
  cookie: string;
  userId?: string;
}

export interface FaultCluster {
  cluster: Cluster;
  /** The real SDK against the emulator (the test's own view of Stripe). */
  api: Stripe;
  /** A handle on the cluster's database for the checks. */
  db: DbHandle["db"];
  articles: Array<{ id: number; slug: string; access: string }>;
  readers: Reader[];
  /** The throw-away PostgreSQL, when the cluster runs on one. */
  postgres: ThrowawayPostgres | null;
  /** App servers' output (kept, not printed, unless FAULTS_VERBOSE is set). */
  output: string[];
  /** The emulator's log (e.g. "gave up delivering …"). */
  emulatorLog: string[];
  stop(): Promise<void>;
}

export function requireBuild(): void {
  if (!fs.existsSync(".next/BUILD_ID")) throw new Error("The faults suite runs the production build: run `npx next build` first.");
}

/**
 * A fresh database on TEST_DATABASE_URL's server (a new database, dropped at the end; the server
 * itself is never stopped), or on a throw-away PostgreSQL when `throwawayPostgres` is set (for
 * tests that stop the server) or no TEST_DATABASE_URL is given.
 */
export async function startFaultCluster(options: { readersPerKind: number; throwawayPostgres?: boolean; env?: Record<string, string> }): Promise<FaultCluster> {
  requireBuild();
  const postgres = options.throwawayPostgres || !process.env.TEST_DATABASE_URL ? await startThrowawayPostgres(FAULTS_PORT + 10) : null;
  const readers: Reader[] = [];
  const prepared = await prepareDatabase(postgres?.url ?? process.env.TEST_DATABASE_URL, async (db) => {
    const expires = new Date(Date.now() + 7 * 86_400_000);
    for (const kind of ["registered", "subscriber"] as const) {
      for (let i = 0; i < options.readersPerKind; i++) {
        const [user] = await db.insert(users).values({ email: `${kind}-${i}@faults.test`, emailVerified: new Date() }).returning();
        const token = `faults-${kind}-${i}-${randomBytes(8).toString("hex")}`;
        await db.insert(sessions).values({ sessionToken: token, userId: user!.id, expires });
        if (kind === "subscriber") {
          await db.insert(subscriptions).values({
            stripeSubscriptionId: `sub_faults_reader_${i}`,
            stripeCustomerId: `cus_faults_reader_${i}`,
            userId: user!.id,
            status: "active",
            stripePriceId: "price_faults_reader",
            stripeCreated: new Date(),
            currentPeriodEnd: expires,
          });
        }
        readers.push({ kind, cookie: `${SESSION_COOKIE}=${token}`, userId: user!.id });
      }
    }
    for (let i = 0; i < options.readersPerKind; i++) readers.push({ kind: "anonymous", cookie: "" });
  });
  const databaseUrl = prepared.env.DATABASE_URL!;
  const output: string[] = [];
  const emulatorLog: string[] = [];
  let cluster: Cluster;
  try {
    cluster = await startCluster({
      instances: 2,
      port: FAULTS_PORT,
      databaseUrl,
      env: { METER_REGISTERED_LIMIT: "1000", ...options.env },
      output: (server, line) => {
        if (process.env.FAULTS_VERBOSE) console.log(`[app${server}] ${line}`);
        if (output.length < 20_000) output.push(`[app${server}] ${line}`);
      },
      emulator: {
        tickMs: false,
        log: (line) => emulatorLog.push(line),
        // Like Stripe: several deliveries at once, retried with backoff for long enough to outlast a restart.
        webhookConcurrency: 8,
        webhookRetry: { baseDelayMs: 200, maxDelayMs: 3_000, maxAttempts: 25, timeoutMs: 20_000 },
      },
    });
  } catch (error) {
    await prepared.drop();
    await postgres?.remove();
    throw error;
  }
  const handle = await openDatabase({ url: databaseUrl });
  const rows = await handle.db
    .select({ id: articles.id, slug: articles.slug, access: articles.access })
    .from(articles)
    .where(lte(articles.publishedAt, new Date()));
  return {
    cluster,
    api: new Stripe("sk_test_cluster", { host: "127.0.0.1", port: cluster.emulator.port, protocol: "http", maxNetworkRetries: 2 }),
    db: handle.db,
    articles: rows,
    readers,
    postgres,
    output,
    emulatorLog,
    async stop() {
      await cluster.stop();
      await handle.close().catch(() => {});
      await prepared.drop().catch(() => {});
      await postgres?.remove();
    },
  };
}
