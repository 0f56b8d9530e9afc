// npm run audit:money -- [--out DIR]: reconciles every subscription with Stripe (or the emulator
// at STRIPE_API_BASE) and exits 1 naming each subscription, day range and rule broken.
// See docs/money-audit.md.
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { openDatabase } from "@/db/client";
import { formatMoney } from "@/lib/billing/money";
import { runMoneyAudit } from "@/lib/money-audit/run-audit";
import { writeMoneyReport } from "@/lib/money-audit/report-files";
import type { MoneyAuditReport } from "@/lib/money-audit/report-schema";

const argsSchema = z.object({
  out: z.string().min(1).default(path.join(process.env.DATA_DIR ?? ".data", "money-audit")),
  at: z.iso.datetime({ offset: true }).optional(),
});

const usage = `npm run audit:money -- [options]
  reads DATABASE_URL (or DATA_DIR) and STRIPE_SECRET_KEY (and STRIPE_API_BASE for the emulator)
  --out DIR   where money-audit-report.json and .html go (default .data/money-audit)
  --at ISO    judge as of this moment (our clock; default now)`;

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { out: { type: "string" }, at: { type: "string" } } });
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) {
    console.error(`${z.prettifyError(parsed.error)}\n\n${usage}`);
    return 2;
  }
  const handle = await openDatabase(process.env.DATABASE_URL ? { url: process.env.DATABASE_URL } : { dataDir: process.env.DATA_DIR ?? ".data" });
  try {
    const report = await runMoneyAudit(handle.db, parsed.data.at ? { at: new Date(parsed.data.at) } : {});
    const files = writeMoneyReport(report, parsed.data.out);
    printSummary(report, files);
    return report.ok ? 0 : 1;
  } finally {
    await handle.close();
  }
}

function printSummary(r: MoneyAuditReport, files: { json: string; html: string }): void {
  const mrr = r.mrr.map((m) => formatMoney(m.amount, m.currency)).join(" + ") || formatMoney(0, "usd");
  console.log(`Money audit of ${r.source} at ${r.at}: ${r.counts.subscriptions} subscriptions, ${r.counts.invoices} invoices, ${r.counts.readableDays} readable days ahead, MRR ${mrr}, ${(r.durationMs / 1000).toFixed(1)} s`);
  for (const f of r.findings) console.log(`\nFAIL ${f.rule}: ${f.subscription} (${f.account}), ${f.from.slice(0, 10)} to ${f.to.slice(0, 10)}\n  ${f.detail}`);
  console.log(`\n${r.ok ? "PASS: every readable day is backed and every offer kept its terms." : `FAIL: ${r.findings.length} findings.`}\nReport: ${files.html} (and ${path.basename(files.json)})`);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
