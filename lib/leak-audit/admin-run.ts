import "server-only";
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { Db } from "@/db/client";
import { env } from "@/lib/env";
import { loadAuditArticles, loadAuditSegments } from "./canaries";
import { auditReportSchema, type AuditReport } from "./report-schema";

const TSX_CLI = path.resolve("node_modules/tsx/dist/cli.mjs");
const AUDIT_MAIN = path.resolve("tools/leak-audit/main.ts");

/** Where the last report (audit-report.json and .html), the canaries and the run's log are kept. */
export function leakAuditDir(): string {
  return path.resolve(env().DATA_DIR, "leak-audit");
}

/** The last report, null when the audit never ran here, or a message when the file cannot be read. */
export function readLastReport(): AuditReport | null | { unreadable: string } {
  const file = path.join(leakAuditDir(), "audit-report.json");
  if (!fs.existsSync(file)) return null;
  try {
    const parsed = auditReportSchema.safeParse(JSON.parse(fs.readFileSync(file, "utf8")));
    return parsed.success ? parsed.data : { unreadable: "audit-report.json is not a report this version can read" };
  } catch (error) {
    return { unreadable: error instanceof Error ? error.message : String(error) };
  }
}

/** When a run started from the admin is still going (its process is alive). */
export function runningSince(): Date | null {
  try {
    const { pid, startedAt } = JSON.parse(fs.readFileSync(path.join(leakAuditDir(), "run.json"), "utf8")) as { pid: number; startedAt: string };
    process.kill(pid, 0);
    return new Date(startedAt);
  } catch {
    return null;
  }
}

/** Whether this installation has the tools the audit runs with (a checkout with its dev dependencies). */
export function auditToolsPresent(): boolean {
  return fs.existsSync(TSX_CLI) && fs.existsSync(AUDIT_MAIN) && fs.existsSync(path.resolve("node_modules/playwright-core/package.json"));
}

/**
 * Starts `npm run audit:leaks -- --base SITE_URL` in the background against this site, with the
 * canaries read here from the database (the site holds it; the audit cannot open PGlite while it
 * runs). The registered reader's pass needs a session and is skipped; the sign-in mail is read
 * when the development sink's folder is known (MAILBOX_DIR).
 */
export async function startAuditRun(db: Db): Promise<{ started: boolean; message: string }> {
  if (!auditToolsPresent()) return { started: false, message: "The audit's tools (tsx, playwright-core) are not installed beside this site: run npm run audit:leaks -- --base from a checkout." };
  if (runningSince()) return { started: false, message: "An audit is already running." };
  const dir = leakAuditDir();
  fs.mkdirSync(dir, { recursive: true });
  const canaries = path.join(dir, "canaries.json");
  fs.writeFileSync(canaries, JSON.stringify(await loadAuditArticles(db)), { mode: 0o600 });
  const segments = path.join(dir, "segments.json");
  fs.writeFileSync(segments, JSON.stringify(await loadAuditSegments(db)), { mode: 0o600 });
  const log = fs.openSync(path.join(dir, "run.log"), "w");
  const args = [TSX_CLI, "--conditions=react-server", AUDIT_MAIN, "--base", env().SITE_URL, "--canaries", canaries, "--segments", segments, "--out", dir, ...(process.env.MAILBOX_DIR ? ["--mailbox", process.env.MAILBOX_DIR] : [])];
  const child = spawn(process.execPath, args, { detached: true, stdio: ["ignore", log, log] });
  child.unref();
  fs.closeSync(log);
  fs.writeFileSync(path.join(dir, "run.json"), JSON.stringify({ pid: child.pid, startedAt: new Date().toISOString() }));
  return { started: true, message: "The audit started: it takes a minute or two. Reload this page to see the report." };
}
