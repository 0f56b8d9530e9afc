import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { listStoredEvents } from "@/lib/admin/webhooks/queries";
import { EVENT_STATES, webhookQuerySchema, type WebhookQuery } from "@/lib/admin/webhooks/schema";
import { requireAdmin } from "@/lib/auth/current-user";
import { ActionButton } from "../_components/action-button";
import { formatUtc } from "../_components/format";
import { replayEventAction } from "./actions";

export const metadata: Metadata = { title: "Webhooks · Admin" };

const STATE_LABEL: Record<(typeof EVENT_STATES)[number], string> = {
  processed: "Processed",
  failed: "Failed",
  waiting_for_customer: "Waiting for its customer",
  ignored: "Ignored (not a type we act on)",
};

function pageHref(query: WebhookQuery, page: number): string {
  const params = new URLSearchParams();
  if (query.type) params.set("type", query.type);
  if (query.state) params.set("state", query.state);
  if (page > 1) params.set("page", String(page));
  const search = params.toString();
  return search ? `/admin/webhooks?${search}` : "/admin/webhooks";
}

export default async function WebhooksPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdmin();
  const query = webhookQuerySchema.parse(await searchParams);
  const { rows, total, pages, types } = await listStoredEvents(await getDb(), query);
  return (
    <section className="admin-page admin-page--wide">
      <h1>Stripe webhooks</h1>
      <p>Every event Stripe sent, stored once by its id, newest first. A failed event can be replayed: processing is idempotent.</p>
      <form className="admin-filters" method="get" action="/admin/webhooks" role="search">
        <div className="field">
          <label htmlFor="type">Type</label>
          <select id="type" name="type" defaultValue={query.type ?? ""}>
            <option value="">Any</option>
            {types.map((type) => (
              <option key={type} value={type}>
                {type}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="state">Outcome</label>
          <select id="state" name="state" defaultValue={query.state ?? ""}>
            <option value="">Any</option>
            {EVENT_STATES.map((state) => (
              <option key={state} value={state}>
                {STATE_LABEL[state]}
              </option>
            ))}
          </select>
        </div>
        <button className="button button--secondary" type="submit">
          Filter
        </button>
      </form>
      <p className="admin-count">
        {total} {total === 1 ? "event" : "events"}
      </p>
      {rows.length === 0 ? (
        <p>No event matches.</p>
      ) : (
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col">Created</th>
              <th scope="col">Type</th>
              <th scope="col">Outcome</th>
              <th scope="col">Customer</th>
              <th scope="col">Payload</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((event) => (
              <tr key={event.id} data-event={event.id}>
                <td>
                  {formatUtc(event.stripeCreated)}
                  <br />
                  <small className="admin-muted">received {formatUtc(event.receivedAt)}</small>
                </td>
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
            ))}
          </tbody>
        </table>
      )}
      {pages > 1 && (
        <nav className="admin-pagination" aria-label="Pages">
          {query.page > 1 && <Link href={pageHref(query, query.page - 1)}>← Newer</Link>}
          <span>
            Page {Math.min(query.page, pages)} of {pages}
          </span>
          {query.page < pages && <Link href={pageHref(query, query.page + 1)}>Older →</Link>}
        </nav>
      )}
    </section>
  );
}
