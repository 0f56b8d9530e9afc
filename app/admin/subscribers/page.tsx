import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { billingChecks, type BillingChecks } from "@/lib/admin/subscribers/billing-checks";
import { listSubscribers } from "@/lib/admin/subscribers/queries";
import { subscriberQuerySchema, type SubscriberQuery } from "@/lib/admin/subscribers/schema";
import { requireAdmin } from "@/lib/auth/current-user";
import { env } from "@/lib/env";
import { formatUtc } from "../_components/format";

export const metadata: Metadata = { title: "Subscribers · Admin" };

function href(path: string, query: SubscriberQuery, after?: string): string {
  const params = new URLSearchParams();
  if (query.q) params.set("q", query.q);
  if (after) params.set("after", after);
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

export default async function SubscribersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdmin();
  const query = subscriberQuerySchema.parse(await searchParams);
  const db = await getDb();
  const [{ rows, total, next }, checks] = await Promise.all([listSubscribers(db, query, env().BILLING_GRACE_DAYS), billingChecks(db)]);
  return (
    <section className="admin-page admin-page--wide">
      <header className="admin-page__header">
        <h1>Subscribers</h1>
        <a className="button button--secondary" href={href("/admin/subscribers/export", query)} download>
          Export CSV
        </a>
      </header>
      <form className="admin-filters" method="get" action="/admin/subscribers" role="search">
        <div className="field">
          <label htmlFor="q">Search by email (any reader; the address or its beginning)</label>
          <input id="q" name="q" type="search" defaultValue={query.q ?? ""} maxLength={200} />
        </div>
        <button className="button button--secondary" type="submit">
          Search
        </button>
      </form>
      <p className="admin-count">
        {total} {query.q ? (total === 1 ? "reader matches" : "readers match") : total === 1 ? "subscriber or comped reader" : "subscribers and comped readers"}
      </p>
      {rows.length === 0 ? (
        <p>Nobody {query.q ? "matches" : "yet"}.</p>
      ) : (
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Plan</th>
              <th scope="col">Status</th>
              <th scope="col">Entitled</th>
              <th scope="col">Current period ends</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.userId}>
                <td>
                  <Link href={`/admin/subscribers/${encodeURIComponent(row.userId)}`}>{row.email ?? "(no email)"}</Link>
                </td>
                <td>{row.plan ?? "—"}</td>
                <td>
                  {row.status ? row.status.replaceAll("_", " ") : "—"}
                  {row.comped && <span className="badge admin-status--scheduled admin-comp">Comp</span>}
                </td>
                <td>{row.entitled ? "Yes" : "No"}</td>
                <td>{formatUtc(row.currentPeriodEnd)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <BillingChecksSection checks={checks} />
      {(query.after || next) && (
        <nav className="admin-pagination" aria-label="Pages">
          {query.after && <Link href={href("/admin/subscribers", query)}>← First page</Link>}
          {next && <Link href={href("/admin/subscribers", query, next)}>Next →</Link>}
        </nav>
      )}
    </section>
  );
}

function BillingChecksSection({ checks }: { checks: BillingChecks }) {
  return (
    <section aria-labelledby="billing-checks" data-testid="billing-checks">
      <h2 id="billing-checks">Billing checks</h2>
      <h3>Paid subscriptions without an account</h3>
      {checks.unlinked.length === 0 ? (
        <p data-testid="unlinked-none">None: every paid subscription belongs to an account.</p>
      ) : (
        <table className="admin-table" data-testid="unlinked">
          <thead>
            <tr>
              <th scope="col">Stripe subscription</th>
              <th scope="col">Customer</th>
              <th scope="col">Plan</th>
              <th scope="col">Status</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {checks.unlinked.map((s) => (
              <tr key={s.subscriptionId}>
                <td>{s.subscriptionId}</td>
                <td>{s.customerId}</td>
                <td>{s.plan ?? "—"}</td>
                <td>{s.status.replaceAll("_", " ")}</td>
                <td>{formatUtc(s.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Accounts with more than one live subscription</h3>
      {checks.severalLive.length === 0 ? (
        <p data-testid="several-none">None.</p>
      ) : (
        <ul data-testid="several-live">
          {checks.severalLive.map((a) => (
            <li key={a.userId}>
              <Link href={`/admin/subscribers/${encodeURIComponent(a.userId)}`}>{a.email ?? "(no email)"}</Link>: {a.live} live subscriptions
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
