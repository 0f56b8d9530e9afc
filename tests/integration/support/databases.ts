import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll } from "vitest";
import { openDatabase, type Db, type DbHandle } from "@/db/client";
import { resetEnvForTests } from "@/lib/env";
import { lateBound } from "../../support/late-bound";

export interface TestDatabase {
  handle: DbHandle;
  /** The connection string of a PostgreSQL test database, to open a second handle on it. */
  url?: string;
  drop(): Promise<void>;
}

export type Engine = "pglite" | "postgres";

/**
 * PGlite always; PostgreSQL too when TEST_DATABASE_URL is set. TEST_ENGINES (comma-separated)
 * picks them instead: tools/test.sh runs each engine's pass once.
 */
export const engines: Engine[] = pickEngines(process.env.TEST_ENGINES, process.env.TEST_DATABASE_URL);

function pickEngines(chosen: string | undefined, databaseUrl: string | undefined): Engine[] {
  if (!chosen) return databaseUrl ? ["pglite", "postgres"] : ["pglite"];
  const picked = chosen.split(",").map((name) => name.trim());
  for (const name of picked) if (name !== "pglite" && name !== "postgres") throw new Error(`TEST_ENGINES: "${name}" is neither pglite nor postgres`);
  if (picked.includes("postgres") && !databaseUrl) throw new Error("TEST_ENGINES names postgres: set TEST_DATABASE_URL too");
  return picked as Engine[];
}

/** A fresh, migrated database: in-memory PGlite, or a new database on the test server. */
export async function createTestDatabase(engine: Engine): Promise<TestDatabase> {
  if (engine === "pglite") {
    const handle = await openDatabase({ dataDir: "memory://" });
    return { handle, drop: () => handle.close() };
  }
  const admin = postgres(process.env.TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
  const name = `masthead_test_${randomBytes(6).toString("hex")}`;
  await admin.unsafe(`create database ${name}`);
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ url: url.toString() });
  return {
    handle,
    url: url.toString(),
    drop: async () => {
      await handle.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/** A suite's fresh database: created before its tests and dropped after them. */
export function testDatabaseForSuite(engine: Engine): TestDatabase {
  const [t, setT] = lateBound<TestDatabase>("the suite's database");
  beforeAll(async () => setT(await createTestDatabase(engine)));
  afterAll(() => t.drop());
  return t;
}

/** Rows of a raw query on either driver (PGlite answers `{ rows }`, postgres.js an array). */
export async function queryRows<T>(db: DbHandle["db"], query: Parameters<DbHandle["db"]["execute"]>[0]): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/** A test database the app's own code uses, open, with the one step that undoes it all. */
export interface AppDatabase extends TestDatabase {
  /** What getDb() answers. */
  db: Db;
  /** Closes the app's database, forgets every cache, drops the database and unsets its variables. */
  close(): Promise<void>;
}

/**
 * A fresh database as the app's own (what getDb() opens), with a test AUTH_SECRET and any other
 * variables the suite needs, parsed afresh.
 */
export async function openAppDatabase(engine: Engine, vars: Record<string, string> = {}): Promise<AppDatabase> {
  const t = await createTestDatabase(engine);
  Object.assign(process.env, { AUTH_SECRET: "integration-secret-integration-secret-0123", ...vars });
  if (t.url) process.env.DATABASE_URL = t.url;
  else process.env.DATA_DIR = "memory://";
  resetEnvForTests();
  const client = await import("@/db/client");
  return {
    ...t,
    db: await client.getDb(),
    close: async () => {
      await client.closeDb();
      (await import("@/lib/cache/ttl-cache")).clearAllCaches();
      await t.drop();
      delete process.env.DATABASE_URL;
      for (const name of Object.keys(vars)) delete process.env[name];
    },
  };
}

/** Closes a suite that read articles: the funnel's buffered events first, as a flush timer firing after the close would reopen this engine's database for the next suite. */
export async function flushFunnelAndClose(t: AppDatabase): Promise<void> {
  await (await import("@/lib/analytics/funnel")).flushFunnelEvents();
  await t.close();
}
