import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { listStoredEvents, listUndeliveredBillingMails } from "@/lib/admin/webhooks/queries";
import { EVENT_STATES, webhookQuerySchema, type WebhookQuery } from "@/lib/admin/webhooks/form";
import { requireAdmin } from "@/lib/auth/current-user";
import { ActionButton } from "../_components/action-button";
import { DataTable, RowCount } from "../_components/data-table";
import { Filters, SelectFilter } from "../_components/filters";
import { formatUtc } from "../_components/format";
import { listHref, pageLinks, Pagination } from "../_components/pagination";
import { TimesCell } from "../_components/times-cell";
import { replayEventAction, resendBillingMailAction } from "./actions";

export const metadata: Metadata = { title: "Webhooks · Admin" };

const STATE_LABEL: Record<(typeof EVENT_STATES)[number], string> = {
  processed: "Processed",
  failed: "Failed",
  waiting_for_customer: "Waiting for its customer",
  ignored: "Ignored (not a type we act on)",
};

const pageHref = (query: WebhookQuery, page: number) =>
  listHref("/admin/webhooks", { type: query.type, state: query.state, page: page > 1 ? page : undefined });

export default async function WebhooksPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdmin();
  const query = webhookQuerySchema.parse(await searchParams);
  const db = await getDb();
  const [{ rows, total, pages, types }, undelivered] = await Promise.all([listStoredEvents(db, query), listUndeliveredBillingMails(db)]);
  return (
    <section className="admin-page admin-page--wide">
      <h1>Stripe webhooks</h1>
      <p>Every event Stripe sent, stored once by its id, newest first. A failed event can be replayed: processing is idempotent.</p>
      <Filters action="/admin/webhooks" submit="Filter">
        <SelectFilter name="type" label="Type" value={query.type} options={Object.fromEntries(types.map((type) => [type, type]))} />
        <SelectFilter name="state" label="Outcome" value={query.state} options={STATE_LABEL} />
      </Filters>
      <RowCount total={total} one="event" many="events" />
      <DataTable columns={["Created", "Type", "Outcome", "Customer", "Payload"]} rows={rows} empty="No event matches." className="admin-table admin-webhooks">
        {(event) => (
          <tr key={event.id} data-event={event.id}>
            <TimesCell at={event.stripeCreated} note="received" noteAt={event.receivedAt} />
            <td>
              <code>{event.type}</code>
              <br />
              <small className="admin-muted">{event.id}</small>
            </td>
            <td>
              <span className={`badge admin-event admin-event--${event.state}`}>{STATE_LABEL[event.state]}</span>
              <br />
              <small className="admin-muted">
                {event.attempts} {event.attempts === 1 ? "attempt" : "attempts"}
                {event.processedAt && `, done ${formatUtc(event.processedAt)}`}
              </small>
              {event.error && <p className="admin-event__error">{event.error}</p>}
              {event.state === "failed" && (
                <ActionButton action={replayEventAction} fields={{ eventId: event.id }} label="Replay" pendingLabel="Replaying…" secondary={false} ariaLabel={`Replay ${event.id}`} />
              )}
            </td>
            <td>
              {event.userId ? (
                <Link href={`/admin/subscribers/${encodeURIComponent(event.userId)}`}>{event.stripeCustomerId}</Link>
              ) : (
                (event.stripeCustomerId ?? "—")
              )}
            </td>
            <td className="admin-json-cell">
              <details className="admin-json">
                <summary>Payload</summary>
                <pre>{JSON.stringify(event.payload, null, 2)}</pre>
              </details>
            </td>
          </tr>
        )}
      </DataTable>
      <Pagination {...pageLinks(query.page, pages, (page) => pageHref(query, page))} />
      <h2>Billing mail not delivered</h2>
      <p>
        Mail the webhooks decided (failed payments, trial and discount reminders) that will not go out by itself: refused by the mail server, or cut
        off while sending, when the server may or may not have taken it.
      </p>
      <DataTable columns={["Decided", "To", "Mail", "State", "Reason"]} rows={undelivered} empty="Every billing mail went out (or is still being tried)." testId="undelivered-billing-mail">
        {(mail) => (
          <tr key={mail.key} data-billing-mail={mail.key}>
            <td>{formatUtc(mail.createdAt)}</td>
            <td>{mail.userId ? <Link href={`/admin/subscribers/${encodeURIComponent(mail.userId)}`}>{mail.to}</Link> : mail.to}</td>
            <td>
              {mail.subject}
              <br />
              <small className="admin-muted">{mail.key}</small>
            </td>
            <td>
              <span className={`badge admin-event admin-event--${mail.state}`}>{mail.state === "failed" ? "Failed" : "Unknown"}</span>
              <br />
              <small className="admin-muted">
                {mail.attempts} {mail.attempts === 1 ? "attempt" : "attempts"}
              </small>
            </td>
            <td>
              {mail.lastError && <p className="admin-event__error">{mail.lastError}</p>}
              {mail.state === "unknown" && (
                <ActionButton action={resendBillingMailAction} fields={{ key: mail.key }} label="Send again" pendingLabel="Sending…" ariaLabel={`Send ${mail.key} again (the reader may get it twice)`} />
              )}
            </td>
          </tr>
        )}
      </DataTable>
    </section>
  );
}
