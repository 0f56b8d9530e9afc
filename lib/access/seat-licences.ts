import "server-only";
import { asc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { organisationMembers, organisations } from "@/db/schema";
import { env } from "@/lib/env";
import { licenceInvoiceFrom, type Licence } from "./licence";

/**
 * The newest Stripe invoice for the current term of the organisation row `org` (a table name or
 * alias), as JSON (`status`, `dueDate`), or null: what licence.ts judges the licence's backing by.
 */
export const licenceInvoiceJson = (org: string) =>
  sql.raw(`(
  select json_build_object('status', i.status, 'dueDate', i.due_date) from organisation_invoices i
  where i.organisation_id = ${org}.id and i.term_start = ${org}.term_start and i.term_end = ${org}.term_end
    and i.status in ('open', 'paid', 'void', 'uncollectible')
  order by i.id desc limit 1)`);

/** What a licence is read from: the organisation's row and its current invoice. */
export const licenceColumns = {
  id: organisations.id,
  name: organisations.name,
  termStart: organisations.termStart,
  termEnd: organisations.termEnd,
  invoice: sql<{ status: string; dueDate: string | null } | null>`${licenceInvoiceJson('"organisations"')}`,
};

/** The licence a row of `licenceColumns` grants, through a seat or an address. */
export function licenceOf(row: { id: number; name: string; termStart: Date; termEnd: Date; invoice: { status: string; dueDate: string | null } | null }, via: Licence["via"]): Licence {
  return { organisationId: row.id, organisationName: row.name, via, termStart: row.termStart, termEnd: row.termEnd, invoice: licenceInvoiceFrom(row.invoice, env().BILLING_GRACE_DAYS) };
}

/** The licences of the organisations whose seats a reader holds, whatever their terms (the access trace's view; the gate reads them with the session). */
export async function loadSeatLicences(db: Db, userId: string): Promise<Licence[]> {
  const rows = await db
    .select(licenceColumns)
    .from(organisationMembers)
    .innerJoin(organisations, eq(organisations.id, organisationMembers.organisationId))
    .where(eq(organisationMembers.userId, userId))
    .orderBy(asc(organisations.id));
  return rows.map((o) => licenceOf(o, "seat"));
}
