import "server-only";
import fs from "node:fs";
import path from "node:path";
import { env } from "@/lib/env";
import { writeReportFiles } from "@/lib/ui/report-files";
import { moneyAuditReportSchema, type MoneyAuditReport } from "./report-schema";
import { moneyReportHtml } from "./report-html";

export const MONEY_REPORT_JSON = "money-audit-report.json";
export const MONEY_REPORT_HTML = "money-audit-report.html";

/** Where the last report is kept: DATA_DIR/money-audit (the CLI's default too). */
export function moneyAuditDir(): string {
  return path.resolve(env().DATA_DIR, "money-audit");
}

/** Writes the JSON and HTML reports into `dir`; returns their paths. */
export function writeMoneyReport(report: MoneyAuditReport, dir = moneyAuditDir()): { json: string; html: string } {
  return writeReportFiles(dir, { json: MONEY_REPORT_JSON, html: MONEY_REPORT_HTML }, report, moneyReportHtml);
}

/** The last report, null when none was written here, or a message when it cannot be read. */
export function readLastMoneyReport(dir = moneyAuditDir()): MoneyAuditReport | null | { unreadable: string } {
  const file = path.join(dir, MONEY_REPORT_JSON);
  if (!fs.existsSync(file)) return null;
  try {
    const parsed = moneyAuditReportSchema.safeParse(JSON.parse(fs.readFileSync(file, "utf8")));
    return parsed.success ? parsed.data : { unreadable: `${MONEY_REPORT_JSON} is not a report this version can read` };
  } catch (error) {
    return { unreadable: error instanceof Error ? error.message : String(error) };
  }
}
