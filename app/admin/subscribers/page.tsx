import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { billingChecks, type BillingChecks } from "@/lib/admin/subscribers/billing-checks";
import { listSubscribers } from "@/lib/admin/subscribers/queries";
import { subscriberQuerySchema, type SubscriberQuery } from "@/lib/admin/subscribers/form";
import { requireAdmin } from "@/lib/auth/current-user";
import { env } from "@/lib/env";
import { DataTable } from "../_components/data-table";
import { Filters, SearchFilter } from "../_components/filters";
import { formatUtc } from "../_components/format";
import { listHref, Pagination } from "../_components/pagination";

export const metadata: Metadata = { title: "Subscribers · Admin" };

const href = (path: string, query: SubscriberQuery, after?: string) => listHref(path, { q: query.q, after });

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
        <a className="button button--secondary" href="/admin/subscribers/consents" download>
          Consent records CSV
        </a>
      </header>
      <Filters action="/admin/subscribers" submit="Search">
        <SearchFilter name="q" label="Search by email (any reader; the address or its beginning)" value={query.q} />
      </Filters>
      <p className="admin-count">
        {total} {query.q ? (total === 1 ? "reader matches" : "readers match") : total === 1 ? "subscriber or comped reader" : "subscribers and comped readers"}
      </p>
      <DataTable columns={["Email", "Plan", "Status", "Entitled", "Current period ends"]} rows={rows} empty={`Nobody ${query.q ? "matches" : "yet"}.`}>
        {(row) => (
          <tr key={row.userId}>
            <td>
              <Link href={`/admin/subscribers/${encodeURIComponent(row.userId)}`}>{row.email ?? "(no email)"}</Link>
            </td>
            <td>{row.plan ?? "—"}</td>
            <td>
              {row.status ? row.status.replaceAll("_", " ") : "—"}
              {row.granted && <span className="badge admin-status--scheduled admin-grant">Comp</span>}
            </td>
            <td>{row.entitled ? "Yes" : "No"}</td>
            <td>{formatUtc(row.currentPeriodEnd)}</td>
          </tr>
        )}
      </DataTable>
      <BillingChecksSection checks={checks} />
      <Pagination first={query.after ? href("/admin/subscribers", query) : null} next={next ? href("/admin/subscribers", query, next) : null} />
    </section>
  );
}

function BillingChecksSection({ checks }: { checks: BillingChecks }) {
  return (
    <section aria-labelledby="billing-checks" data-testid="billing-checks">
      <h2 id="billing-checks">Billing checks</h2>
      <h3>Paid subscriptions without an account</h3>
      <DataTable
        columns={["Stripe subscription", "Customer", "Plan", "Status", "Created"]}
        rows={checks.unlinked}
        empty={<p data-testid="unlinked-none">None: every paid subscription belongs to an account.</p>}
        testId="unlinked"
      >
        {(s) => (
          <tr key={s.subscriptionId}>
            <td>{s.subscriptionId}</td>
            <td>{s.customerId}</td>
            <td>{s.plan ?? "—"}</td>
            <td>{s.status.replaceAll("_", " ")}</td>
            <td>{formatUtc(s.createdAt)}</td>
          </tr>
        )}
      </DataTable>
      <h3>Accounts with more than one live subscription</h3>
      {checks.severalLive.length === 0 ? (
        <p data-testid="several-none">None.</p>
      ) : (
        <ul data-testid="several-live">
          {checks.severalLive.map((a) => (
            <li key={a.userId}>
              <Link href={`/admin/subscribers/${encodeURIComponent(a.userId)}`}>{a.email ?? "(no email)"}</Link>: {a.live} live {a.live === 1 ? "subscription" : "subscriptions"}
              {a.familyPlaces ? ` and a place in ${a.familyPlaces === 1 ? "a family subscription" : `${a.familyPlaces} family subscriptions`}` : ""}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
