import "server-only";
import path from "node:path";
import v8 from "node:v8";
import { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { env } from "@/lib/env";
import { acquireDataDirLock } from "./data-dir-lock";
import { migrateEmbedded, migrateServer } from "./migrate";
import { clusterToLoad } from "./pglite-init";
import * as schema from "./schema";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** An open transaction: what a function that must run inside one (it locks, or writes in steps) takes. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** Either: for a function that reads or writes the same way inside a transaction or outside. */
export type Queryable = Db | Tx;

export interface DbHandle {
  db: Db;
  engine: "pglite" | "postgres";
  /**
   * LISTEN on a channel: `onNotify` gets each NOTIFY's payload after its transaction commits;
   * `onListen` runs each time the LISTEN takes effect, at first and after a lost connection
   * comes back (NOTIFYs sent while it was away are not delivered).
   */
  listen(channel: string, onNotify: (payload: string) => void, onListen: () => void): Promise<void>;
  close(): Promise<void>;
}

/**
 * PGlite's PostgreSQL with 16 MB of shared buffers instead of initdb's 128 MB, which it touches
 * as it starts (an instance held ~130 MB more RSS idle; docs/speed.md). Its data files are read
 * through the OS's page cache, so a page missing from the buffers costs a read call, not a disk
 * read, and the reading path's hot rows are in our caches anyway.
 */
const PGLITE_START_PARAMS = [...PGlite.defaultStartParams, "-c", "shared_buffers=16MB"];

/**
 * PGlite's WebAssembly compiled by V8's baseline compiler only: the optimising tier's code and
 * its compilations held ~40-50 MB more RSS, and PGlite ran no slower without it (3,000 indexed
 * selects: 1.0-1.3 s baseline-only, 1.8 s with tiering; docs/decisions/0029). Set before the
 * module compiles; it affects only WebAssembly, which nothing else in the server runs.
 */
function compileWebAssemblyWithBaselineOnly(): void {
  v8.setFlagsFromString("--liftoff-only");
}

/** Opens a database: PostgreSQL for a postgres:// URL, otherwise PGlite in a folder or `memory://`. */
export async function openDatabase(target: { url?: string; dataDir?: string }): Promise<DbHandle> {
  if (target.url) {
    // While the database is down a request must fail fast (a 503), not hang: a connection attempt
    // gives up after 5 s (postgres.js: 30 s), and a query waits at most 1 s before its connection
    // tries again (postgres.js backs off up to 20 s after repeated failures).
    const client = postgres(target.url, {
      max: 10,
      connect_timeout: 5,
      backoff: (failures) => Math.min(1, 0.05 * 2 ** failures),
      onnotice: () => {},
    });
    const db = drizzlePostgres({ client, schema });
    await migrateServer(db, client);
    return {
      db,
      engine: "postgres",
      listen: async (channel, onNotify, onListen) => void (await client.listen(channel, onNotify, onListen)),
      close: () => client.end({ timeout: 5 }),
    };
  }
  const dataDir = target.dataDir ?? "memory://";
  const inMemory = dataDir.startsWith("memory://");
  // PGlite is one process's database: a second process on the same folder would corrupt it.
  const releaseLock = inMemory ? () => {} : acquireDataDirLock(path.resolve(/*turbopackIgnore: true*/ dataDir));
  try {
    compileWebAssemblyWithBaselineOnly();
    const folder = inMemory ? dataDir : path.resolve(/*turbopackIgnore: true*/ dataDir);
    // initdb never runs in this process (./pglite-init.ts says why).
    const client = await PGlite.create(folder, { startParams: PGLITE_START_PARAMS, loadDataDir: await clusterToLoad(folder, inMemory) });
    const db = drizzlePglite({ client, schema });
    await migrateEmbedded(db);
    return {
      db,
      engine: "pglite",
      // In-process: the LISTEN cannot be lost.
      listen: async (channel, onNotify, onListen) => {
        await client.listen(channel, onNotify);
        onListen();
      },
      close: async () => {
        await client.close();
        releaseLock();
      },
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
}

// One handle per process, shared by the proxy and the app bundles through globalThis.
const globalKey = Symbol.for("masthead.db");
type GlobalWithDb = typeof globalThis & { [globalKey]?: Promise<DbHandle> };

export function getDbHandle(): Promise<DbHandle> {
  const g = globalThis as GlobalWithDb;
  if (!g[globalKey]) {
    const { DATABASE_URL, DATA_DIR } = env();
    g[globalKey] = openDatabase({ url: DATABASE_URL, dataDir: DATA_DIR }).catch((error: unknown) => {
      delete g[globalKey];
      throw error;
    });
  }
  return g[globalKey];
}

/** Closes this process's database, so the next getDb() opens it again (tools and tests). */
export async function closeDb(): Promise<void> {
  const g = globalThis as GlobalWithDb;
  const handle = g[globalKey];
  delete g[globalKey];
  // One that never opened has nothing to close.
  const opened = await handle?.catch(() => null);
  await opened?.close();
}

export async function getDb(): Promise<Db> {
  return (await getDbHandle()).db;
}
