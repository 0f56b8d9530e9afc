import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { listOrganisationsForAdmin, loadLicenceMrr } from "@/lib/admin/organisations/queries";
import { monthOf } from "@/lib/analytics/licence-reads";
import { requireAdmin } from "@/lib/auth/current-user";
import { formatMoney, moneyInputValue } from "@/lib/billing/money";
import { DataTable } from "../_components/data-table";
import { LicenceInvoiceForm } from "./licence-invoice-form";
import { OrganisationForm } from "./organisation-form";

export const metadata: Metadata = { title: "Organisations · Admin" };

const dateOnly = (d: Date) => d.toISOString().slice(0, 10);

export default async function OrganisationsPage() {
  await requireAdmin();
  const now = new Date();
  const db = await getDb();
  const [organisations, mrr] = await Promise.all([listOrganisationsForAdmin(db, monthOf(now), now), loadLicenceMrr(db, now)]);
  return (
    <section className="admin-page admin-page--wide">
      <h1>Organisations</h1>
      <p>
        Group licences: a newsroom, a firm, a library. Members read every article while the term runs; readers at the organisation&apos;s IP ranges
        read without an account. Reads are counted per organisation (and per member for its manager), never which articles.
      </p>
      <p data-testid="licence-mrr">
        Licence MRR: {mrr.length === 0 ? formatMoney(0, "usd") : mrr.map((m) => formatMoney(m.amount, m.currency)).join(" + ")}. A running licence counts its
        price per month: price / months for a term of whole calendar months (a year&apos;s: / 12), else price × 30.4375 / the term&apos;s days,
        rounded to the cent (halves up).
      </p>
      <DataTable
        columns={["Name", "Seats used / sold", "Term", "Price", "Monthly (MRR)", "Renewal due", "Reads this month", "Ways in"]}
        rows={organisations}
        empty="No organisations yet."
        caption="Organisations and their licences"
        testId="organisations"
      >
        {(o) => (
          <tr key={o.id} data-organisation={o.name}>
            <th scope="row">{o.name}</th>
            <td data-testid="seats">
              {o.seatsUsed} / {o.seats}
            </td>
            <td>
              {dateOnly(o.termStart)} – {dateOnly(o.termEnd)}
              {o.termEnd <= now ? " (ended)" : o.termStart > now ? " (not started)" : ""}
            </td>
            <td>
              {formatMoney(o.priceAmount, o.currency)} ({o.invoice ? `Stripe invoice ${o.invoice.status}` : "invoiced"})
            </td>
            <td data-testid="monthly">
              {formatMoney(o.monthly, o.currency)}
              {o.running ? "" : " (not counted)"}
            </td>
            <td data-testid="renewal">{dateOnly(o.termEnd)}</td>
            <td data-testid="reads">{o.readsThisMonth}</td>
            <td>
              {o.managerEmails.length} managers · {o.domains.length} domains · {o.ipRanges.length} IP ranges
            </td>
          </tr>
        )}
      </DataTable>
      {organisations.map((o) => (
        <details key={o.id} className="admin-plan__edit">
          <summary>Edit {o.name}</summary>
          <OrganisationForm
            organisation={{
              id: o.id,
              name: o.name,
              seats: String(o.seats),
              termStart: dateOnly(o.termStart),
              termEnd: dateOnly(o.termEnd),
              amount: moneyInputValue(o.priceAmount, o.currency),
              currency: o.currency,
              managers: o.managerEmails.join("\n"),
              domains: o.domains.join("\n"),
              ipRanges: o.ipRanges.join("\n"),
            }}
          />
          <LicenceInvoiceForm
            organisationId={o.id}
            name={o.name}
            invoice={o.invoice && { status: o.invoice.status, amount: formatMoney(o.invoice.amount, o.invoice.currency), dueDate: o.invoice.dueDate && dateOnly(o.invoice.dueDate) }}
          />
        </details>
      ))}
      <section aria-labelledby="new-organisation-heading">
        <h2 id="new-organisation-heading">New organisation</h2>
        <OrganisationForm />
      </section>
    </section>
  );
}
