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
 * A fresh database for a test or bench server: a new database on the given PostgreSQL server,
 * or PGlite in a temp folder; seeded, with every test fixture imported through the importer as metered.
 */
export async function prepareDatabase(
  serverDatabaseUrl?: string,
  extra?: (db: DbHandle["db"]) => Promise<void>,
): Promise<PreparedDatabase> {
  let target: { url?: string; dataDir?: string };
  let drop: () => Promise<void>;
  if (serverDatabaseUrl) {
    const admin = postgres(serverDatabaseUrl, { max: 1, onnotice: () => {} });
    const name = `masthead_run_${randomBytes(5).toString("hex")}`;
    await admin.unsafe(`create database ${name}`);
    const url = new URL(serverDatabaseUrl);
    url.pathname = `/${name}`;
    target = { url: url.toString() };
    drop = async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  } else {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "masthead-run-"));
    target = { dataDir };
    drop = async () => fs.rmSync(dataDir, { recursive: true, force: true });
  }
  const handle = await openDatabase(target);
  await seedIfEmpty(handle.db);
  for (const fixture of articleFixtures) await importPlainTextArticle(handle.db, fixture.text, { access: "metered" });
  await extra?.(handle.db);
  await handle.close();
  return { env: target.url ? { DATABASE_URL: target.url } : { DATA_DIR: target.dataDir! }, drop };
}
