import Link from "next/link";
import type { ReaderDetail } from "@/lib/admin/subscribers/reader-detail";
import { formatMoney } from "@/lib/billing/money";
import { DataTable } from "../../_components/data-table";
import { formatUtc } from "../../_components/format";
import { TimesCell } from "../../_components/times-cell";

/** Every subscription of the reader, ended ones included, as Stripe last told us. */
export function SubscriptionsSection({ subscriptions }: { subscriptions: ReaderDetail["subscriptions"] }) {
  return (
    <>
      <h2>Subscriptions</h2>
      <DataTable columns={["Plan", "Status", "Entitles", "Started", "Period ends", "Stripe"]} rows={subscriptions} empty="None.">
        {(sub) => (
          <tr key={sub.id}>
            <td>{sub.plan ?? "—"}</td>
            <td>
              {sub.status.replaceAll("_", " ")}
              {sub.cancelAtPeriodEnd && " (cancels at period end)"}
              {sub.endedAt && ` (ended ${formatUtc(sub.endedAt)})`}
            </td>
            <td>{sub.entitled ? "Yes" : "No"}</td>
            <td>{formatUtc(sub.created)}</td>
            <td>{formatUtc(sub.currentPeriodEnd)}</td>
            <td>
              <code>{sub.id}</code>
              <br />
              <small className="admin-muted">{sub.stripePriceId}</small>
            </td>
          </tr>
        )}
      </DataTable>
    </>
  );
}

/** The terms the reader agreed to at each Checkout, as shown there. */
export function ConsentsSection({ consents, userId }: { consents: ReaderDetail["consents"]; userId: string }) {
  return (
    <>
      <h2>Consent at checkout</h2>
      {consents.length > 0 && (
        <p>
          <a href={`/admin/subscribers/consents?user=${encodeURIComponent(userId)}`} download>
            Download these as CSV
          </a>
        </p>
      )}
      <DataTable columns={["Agreed", "Terms shown", "Subscription"]} rows={consents} empty="None recorded.">
        {(consent) => (
          <tr key={consent.subscription} data-consent={consent.subscription}>
            <TimesCell at={consent.acceptedAt} note="shown" noteAt={consent.shownAt} />
            <td>
              {consent.terms}
              <br />
              <small className="admin-muted">
                {consent.version}, SHA-256 <code>{consent.hash.slice(0, 16)}…</code>
              </small>
            </td>
            <td>
              <code>{consent.subscription}</code>
            </td>
          </tr>
        )}
      </DataTable>
    </>
  );
}

export function InvoicesSection({ invoices }: { invoices: ReaderDetail["invoices"] }) {
  return (
    <>
      <h2>Invoices</h2>
      <DataTable columns={["Date", "Amount", "Status", "Invoice"]} rows={invoices} empty="None.">
        {(invoice) => (
          <tr key={invoice.id}>
            <td>{formatUtc(invoice.created)}</td>
            <td>{formatMoney(invoice.amount, invoice.currency)}</td>
            <td>{invoice.status}</td>
            <td>{invoice.url ? <a href={invoice.url}>{invoice.id}</a> : <code>{invoice.id}</code>}</td>
          </tr>
        )}
      </DataTable>
    </>
  );
}

/** The Stripe events about the reader's customers, with a way to the whole log when they have one. */
export function EventsSection({ events, hasCustomer }: { events: ReaderDetail["events"]; hasCustomer: boolean }) {
  return (
    <>
      <h2>Stripe events</h2>
      <DataTable columns={["Received", "Type", "Outcome"]} rows={events} empty="None.">
        {(event) => (
          <tr key={event.id}>
            <td>{formatUtc(event.received)}</td>
            <td>
              <code>{event.type}</code>
            </td>
            <td>
              {event.state.replaceAll("_", " ")}
              {event.error && <span className="admin-muted"> — {event.error}</span>}
            </td>
          </tr>
        )}
      </DataTable>
      {hasCustomer && (
        <p>
          <Link href={`/admin/webhooks`}>All webhook events</Link>
        </p>
      )}
    </>
  );
}
