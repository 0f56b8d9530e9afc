import { formatMoney } from "@/lib/billing/money";
import { escapeHtml } from "@/lib/ui/html";
import { MONEY_RULES, type MoneyAuditReport } from "./report-schema";

const e = (value: unknown) => escapeHtml(String(value));
const day = (iso: string) => iso.slice(0, 10);

/** The report as one page: the verdict, the totals, each finding with its rule and days. */
export function moneyReportHtml(r: MoneyAuditReport): string {
  const verdict = r.ok ? "Every readable day is backed and every offer kept its terms." : `${r.findings.length} finding${r.findings.length === 1 ? "" : "s"}.`;
  const findings = r.findings
    .map((f) => `<tr><td><code>${e(f.rule)}</code></td><td><code>${e(f.subscription)}</code></td><td>${e(f.account)}</td><td>${e(day(f.from))} to ${e(day(f.to))}</td><td>${e(f.detail)}</td></tr>`)
    .join("\n");
  const mrr = r.mrr.length ? r.mrr.map((m) => formatMoney(m.amount, m.currency)).join(" + ") : formatMoney(0, "usd");
  const rules = Object.entries(MONEY_RULES).map(([rule, words]) => `<li><code>${e(rule)}</code>: ${e(words)}</li>`).join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Money audit ${r.ok ? "passed" : "FAILED"}</title>
<style>body{font:15px/1.45 system-ui,sans-serif;margin:2rem;max-width:90rem}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3rem .5rem;vertical-align:top;text-align:left}.ok{color:#176117}.bad{color:#a01010}</style></head><body>
<h1 class="${r.ok ? "ok" : "bad"}">Money audit: ${e(verdict)}</h1>
<p>${e(r.source)}; judged at ${e(r.at)} (started ${e(r.startedAt)}, ${(r.durationMs / 1000).toFixed(1)} s). ${r.counts.subscriptions} subscriptions of ${r.counts.accounts} accounts, ${r.counts.invoices} invoices (${r.counts.paidInvoices} paid), ${r.counts.readableDays} readable days ahead. MRR from Stripe: ${e(mrr)}.</p>
${r.notes.map((n) => `<p>${e(n)}</p>`).join("")}
${r.findings.length ? `<h2>Findings</h2><table><tr><th>rule</th><th>subscription</th><th>account</th><th>days</th><th>what</th></tr>${findings}</table>` : ""}
<h2>Rules</h2><ul>${rules}</ul>
</body></html>
`;
}
