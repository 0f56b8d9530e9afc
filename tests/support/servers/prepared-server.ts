import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { openDatabase, type DbHandle } from "@/db/client";
import { seedIfEmpty } from "@/lib/startup/seed";
import { importPlainTextArticle } from "@/lib/content/import-article";
import { articleFixtures } from "../fixtures";

export interface PreparedDatabase {
  env: Record<string, string>;
  drop(): Promise<void>;
}

/**
 * An empty database, not yet migrated: a new database on the given PostgreSQL server, or PGlite in a
 * temp folder; `env` points a server at it, `drop` removes it.
 */
export async function emptyDatabase(serverDatabaseUrl: string | undefined, prefix: string): Promise<PreparedDatabase> {
  if (serverDatabaseUrl) {
    const admin = postgres(serverDatabaseUrl, { max: 1, onnotice: () => {} });
    const name = `${prefix.replaceAll("-", "_")}_${randomBytes(5).toString("hex")}`;
    await admin.unsafe(`create database ${name}`);
    const url = new URL(serverDatabaseUrl);
    url.pathname = `/${name}`;
    return {
      env: { DATABASE_URL: url.toString() },
      drop: async () => {
        await admin.unsafe(`drop database if exists ${name} with (force)`);
        await admin.end();
      },
    };
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  return { env: { DATA_DIR: dataDir }, drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
}

/**
 * A fresh database for a test or bench server (see emptyDatabase); seeded, with every test fixture
 * imported through the importer as metered.
 */
export async function prepareDatabase(
  serverDatabaseUrl?: string,
  extra?: (db: DbHandle["db"]) => Promise<void>,
): Promise<PreparedDatabase> {
  const empty = await emptyDatabase(serverDatabaseUrl, "masthead-run");
  const target = empty.env.DATABASE_URL ? { url: empty.env.DATABASE_URL } : { dataDir: empty.env.DATA_DIR };
  const handle = await openDatabase(target);
  await seedIfEmpty(handle.db);
  for (const fixture of articleFixtures) await importPlainTextArticle(handle.db, fixture.text, { access: "metered" });
  await extra?.(handle.db);
  await handle.close();
  return empty;
}
