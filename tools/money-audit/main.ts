// npm run audit:money -- [--out DIR]: reconciles every subscription with Stripe (or the emulator
// at STRIPE_API_BASE) and exits 1 naming each subscription, day range and rule broken.
// See docs/money-audit.md.
import path from "node:path";
import { z } from "zod";
import { formatMoney } from "@/lib/billing/money";
import { runMoneyAudit } from "@/lib/money-audit/run-audit";
import { writeMoneyReport } from "@/lib/money-audit/report-files";
import type { MoneyAuditReport } from "@/lib/money-audit/report-schema";
import { exitWith, openEnvDatabase, parseOptions } from "../cli/main";

const argsSchema = z.object({
  out: z.string().min(1).default(path.join(process.env.DATA_DIR ?? ".data", "money-audit")),
  at: z.iso.datetime({ offset: true }).optional(),
});

const usage = `npm run audit:money -- [options]
  reads DATABASE_URL (or DATA_DIR) and STRIPE_SECRET_KEY (and STRIPE_API_BASE for the emulator)
  --out DIR   where money-audit-report.json and .html go (default .data/money-audit)
  --at ISO    judge as of this moment (our clock; default now)`;

async function main(): Promise<number> {
  const args = parseOptions(argsSchema, usage);
  if (!args) return 2;
  const handle = await openEnvDatabase();
  try {
    const report = await runMoneyAudit(handle.db, args.at ? { at: new Date(args.at) } : {});
    const files = writeMoneyReport(report, args.out);
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

exitWith(main);
