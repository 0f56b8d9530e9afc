"use server";

import { z } from "zod";
import { getDb } from "@/db/client";
import { adminAction, refused, type ActionResult } from "@/lib/admin/shared/action";
import { billingConfigured } from "@/lib/billing/mode";
import { writeMoneyReport } from "@/lib/money-audit/report-files";
import { runMoneyAudit } from "@/lib/money-audit/run-audit";

// The button says so explicitly: a form without it (or any other post) runs nothing.
const runSchema = z.object({ run: z.literal("now", { error: "Use the button to run the audit." }) });

/** Runs the money audit against Stripe now and keeps its report (admins only: adminAction checks first). */
export const runMoneyAuditAction = adminAction(runSchema, async (): Promise<ActionResult> => {
  if (!billingConfigured()) return refused("Billing is not configured here: there is no Stripe to reconcile with.");
  const report = await runMoneyAudit(await getDb());
  writeMoneyReport(report);
  return { ok: true, message: report.ok ? "The audit passed." : `The audit found ${report.findings.length} problems.` };
});
