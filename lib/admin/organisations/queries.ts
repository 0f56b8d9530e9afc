import "server-only";
import { asc, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { organisations, type Organisation } from "@/db/schema";
import { licenceMonthlyAmount, licenceMrr, licenceRunning } from "@/lib/organisations/licence-mrr";

export type AdminOrganisation = Organisation & {
  seatsUsed: number;
  readsThisMonth: number;
  /** The licence's price as a monthly figure (lib/organisations/licence-mrr.ts), in minor units. */
  monthly: number;
  /** Its term runs now, so `monthly` counts in the licence MRR. */
  running: boolean;
  /** The newest invoice sent through Stripe for the current term (lib/billing/licence-invoices.ts), or null. */
  invoice: { status: string; amount: number; currency: string; dueDate: Date | null } | null;
};

/** Every organisation with its seats used, its licensed reads this month (members' and its IP ranges') and its monthly figure. */
export async function listOrganisationsForAdmin(db: Db, month: string, now = new Date()): Promise<AdminOrganisation[]> {
  const rows = await db
    .select({
      org: organisations,
      seatsUsed: sql<number>`(select count(*) from organisation_members m where m.organisation_id = ${organisations.id})`,
      readsThisMonth: sql<number>`(select coalesce(sum(r.reads), 0) from organisation_reads r where r.organisation_id = ${organisations.id} and r.month = ${month})`,
      invoice: sql<{ status: string; amount: number; currency: string; dueDate: string | null } | null>`(
        select json_build_object('status', i.status, 'amount', i.amount, 'currency', i.currency, 'dueDate', i.due_date) from organisation_invoices i
        where i.organisation_id = ${organisations.id} and i.term_start = ${organisations.termStart} and i.term_end = ${organisations.termEnd}
        order by i.id desc limit 1)`,
    })
    .from(organisations)
    .orderBy(asc(organisations.name), asc(organisations.id));
  return rows.map((r) => ({
    ...r.org,
    seatsUsed: Number(r.seatsUsed),
    readsThisMonth: Number(r.readsThisMonth),
    monthly: licenceMonthlyAmount(r.org.priceAmount, r.org.termStart, r.org.termEnd),
    running: licenceRunning(r.org, now),
    invoice: r.invoice ? { status: r.invoice.status, amount: Number(r.invoice.amount), currency: r.invoice.currency, dueDate: r.invoice.dueDate ? new Date(r.invoice.dueDate) : null } : null,
  }));
}

/** The licence MRR per currency at `now`: every running licence's monthly figure (for the dashboard). */
export async function loadLicenceMrr(db: Db, now = new Date()): Promise<Array<{ currency: string; amount: number }>> {
  const rows = await db
    .select({ priceAmount: organisations.priceAmount, currency: organisations.currency, termStart: organisations.termStart, termEnd: organisations.termEnd })
    .from(organisations)
    .where(sql`${organisations.termStart} <= ${now.toISOString()}::timestamptz and ${organisations.termEnd} > ${now.toISOString()}::timestamptz`);
  return licenceMrr(rows, now);
}
