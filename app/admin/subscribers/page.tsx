import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { listSubscribers, subscriberQuerySchema, type SubscriberQuery } from "@/lib/admin/subscribers";
import { requireAdmin } from "@/lib/auth/current-user";
import { env } from "@/lib/env";
import { formatUtc } from "../format";

export const metadata: Metadata = { title: "Subscribers · Admin" };

function href(path: string, query: SubscriberQuery, page?: number): string {
  const params = new URLSearchParams();
  if (query.q) params.set("q", query.q);
  if (page && page > 1) params.set("page", String(page));
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

export default async function SubscribersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdmin();
  const query = subscriberQuerySchema.parse(await searchParams);
  const { rows, total, pages } = await listSubscribers(await getDb(), query, env().BILLING_GRACE_DAYS);
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
          <label htmlFor="q">Search by email (any reader)</label>
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
      {pages > 1 && (
        <nav className="admin-pagination" aria-label="Pages">
          {query.page > 1 && <Link href={href("/admin/subscribers", query, query.page - 1)}>← Previous</Link>}
          <span>
            Page {Math.min(query.page, pages)} of {pages}
          </span>
          {query.page < pages && <Link href={href("/admin/subscribers", query, query.page + 1)}>Next →</Link>}
        </nav>
      )}
    </section>
  );
}
