import type { Metadata } from "next";
import { requireAdmin } from "@/lib/auth/current-user";
import { formatMoney } from "@/lib/billing/money";
import { billingConfigured } from "@/lib/billing/mode";
import { readLastMoneyReport } from "@/lib/money-audit/report-files";
import { MONEY_RULES } from "@/lib/money-audit/report-schema";
import { ActionButton } from "../_components/action-button";
import { DataTable } from "../_components/data-table";
import { formatUtc } from "../_components/format";
import { runMoneyAuditAction } from "./actions";

export const metadata: Metadata = { title: "Money audit · Admin" };

// The last money audit's report (from `npm run audit:money` or the button here) and a way to run
// it. It names subscribers' accounts: admins only.
export default async function MoneyAuditPage() {
  await requireAdmin();
  const report = readLastMoneyReport();
  return (
    <section className="admin-page admin-page--wide">
      <h1>Money audit</h1>
      <p>
        The audit reconciles every subscription with Stripe: each day our rules let a reader read must rest on a paid invoice&apos;s period, a trial the
        account was entitled to, an admin grant or the grace days after a failed payment, and every paid day must be readable. Each invoice&apos;s
        discount is checked against its offer&apos;s terms and plans, each redemption against the offer&apos;s rules, and every payment must belong to an
        account.
      </p>
      {billingConfigured() ? (
        <ActionButton action={runMoneyAuditAction} fields={{ run: "now" }} label="Run the audit now" pendingLabel="Reconciling…" secondary={false} />
      ) : (
        <p>Billing is not configured here: there is no Stripe to reconcile with.</p>
      )}
      {report === null ? (
        <p>No audit has run here yet.</p>
      ) : "unreadable" in report ? (
        <p role="alert">The last report could not be read: {report.unreadable}</p>
      ) : (
        <>
          <h2 data-testid="money-audit-verdict">{report.ok ? "Passed: every readable day is backed" : `Failed: ${report.findings.length} findings`}</h2>
          <p>
            {report.source}, {formatUtc(new Date(report.startedAt))}, {(report.durationMs / 1000).toFixed(1)} s: {report.counts.subscriptions} subscriptions,{" "}
            {report.counts.invoices} invoices ({report.counts.paidInvoices} paid). MRR from Stripe:{" "}
            {report.mrr.length ? report.mrr.map((m) => formatMoney(m.amount, m.currency)).join(" + ") : formatMoney(0, "usd")}.
          </p>
          {report.findings.length > 0 && (
            <DataTable columns={["Rule", "Subscription", "Account", "Days", "What"]} rows={report.findings}>
              {(f) => (
                <tr key={`${f.rule}|${f.subscription}|${f.from}|${f.detail}`}>
                  <td title={MONEY_RULES[f.rule]}>{f.rule}</td>
                  <td>
                    <code>{f.subscription}</code>
                  </td>
                  <td>{f.account}</td>
                  <td>
                    {f.from.slice(0, 10)} to {f.to.slice(0, 10)}
                  </td>
                  <td>{f.detail}</td>
                </tr>
              )}
            </DataTable>
          )}
        </>
      )}
    </section>
  );
}
