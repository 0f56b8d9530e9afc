import "server-only";
import type { Db } from "@/db/client";
import { env } from "@/lib/env";
import { checkLedger } from "./checks";
import { gatherLedger } from "./gather";
import type { MoneyAuditReport } from "./report-schema";
import { stripeMrr } from "./stripe-mrr";

/** Reconciles every subscription we and Stripe hold, as of `at` (our clock). */
export async function runMoneyAudit(db: Db, options: { at?: Date; source?: string } = {}): Promise<MoneyAuditReport> {
  const started = Date.now();
  const at = options.at ?? new Date();
  const { BILLING_GRACE_DAYS, STRIPE_API_BASE } = env();
  const ledger = await gatherLedger(db, at, BILLING_GRACE_DAYS);
  const { findings, readableDays } = checkLedger(ledger);
  const invoices = ledger.subscriptions.flatMap((s) => s.invoices);
  return {
    source: options.source ?? (STRIPE_API_BASE ? `the Stripe emulator at ${STRIPE_API_BASE}` : "Stripe"),
    startedAt: new Date(started).toISOString(),
    at: at.toISOString(),
    durationMs: Date.now() - started,
    ok: findings.length === 0,
    counts: {
      subscriptions: ledger.subscriptions.length,
      invoices: invoices.length,
      paidInvoices: invoices.filter((i) => i.status === "paid").length,
      accounts: new Set(ledger.subscriptions.map((s) => s.account)).size,
      readableDays,
    },
    mrr: stripeMrr(ledger),
    notes: [
      `grace after a failed payment: ${BILLING_GRACE_DAYS} days`,
      "readable days are judged from the audit's moment to the end of what each row grants without another payment; run it daily to cover every day",
    ],
    findings: findings.sort((a, b) => a.subscription.localeCompare(b.subscription) || a.from.localeCompare(b.from) || a.rule.localeCompare(b.rule)),
  };
}
