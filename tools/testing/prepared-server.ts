import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { openDatabase, type DbHandle } from "@/db/client";
import { seedIfEmpty } from "@/db/seed/seed";
import { importPlainTextArticle } from "@/lib/content/import-article";
import { articleFixtures } from "../../tests/support/fixtures";

export const TEST_AUTH_SECRET = "test-secret-for-e2e-and-bench-only-0123456789";

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

export interface RunningServer {
  url: string;
  pid: number;
  /** Null while the process runs; its exit code (or the signal's name) once it has ended. */
  exited(): number | string | null;
  stop(): Promise<void>;
}

/**
 * `next start` (the production build) on 127.0.0.1:port, resolved once /api/health answers.
 * Its output goes to this process's, or to `onOutput` (stdout and stderr both) when given.
 */
export async function startNextServer(port: number, env: Record<string, string>, onOutput?: (text: string) => void): Promise<RunningServer> {
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(path.resolve("node_modules/.bin/next"), ["start", "-p", String(port), "-H", "127.0.0.1"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      AUTH_SECRET: TEST_AUTH_SECRET,
      SITE_URL: url,
      NEXT_TELEMETRY_DISABLED: "1",
      ...env,
    },
    stdio: ["ignore", onOutput ? "pipe" : "inherit", onOutput ? "pipe" : "inherit"],
  });
  if (onOutput) {
    child.stdout!.setEncoding("utf8").on("data", onOutput);
    child.stderr!.setEncoding("utf8").on("data", onOutput);
  }
  await waitForHealth(url, child);
  return { url, pid: child.pid!, exited: () => child.exitCode ?? child.signalCode, stop: () => stopChild(child) };
}

export async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not become healthy within 60 s`);
}

export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
