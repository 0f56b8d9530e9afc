import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { readerDetail, readerIdSchema } from "@/lib/admin/subscribers";
import { requireAdmin } from "@/lib/auth/current-user";
import { formatMoney } from "@/lib/billing/money";
import { env } from "@/lib/env";
import { ActionButton } from "../../_billing/action-button";
import { formatUtc } from "../../format";
import { revokeGrantAction } from "../actions";
import { GrantForm } from "../grant-form";

export const metadata: Metadata = { title: "Reader · Admin" };

export default async function ReaderPage({ params }: { params: Promise<{ userId: string }> }) {
  await requireAdmin();
  const userId = readerIdSchema.safeParse((await params).userId);
  if (!userId.success) notFound();
  const reader = await readerDetail(await getDb(), userId.data, env().BILLING_GRACE_DAYS);
  if (!reader) notFound();
  const { account } = reader;
  return (
    <section className="admin-page admin-page--wide">
      <p className="admin-breadcrumb">
        <Link href="/admin/subscribers">Subscribers</Link>
      </p>
      <h1>{account.email ?? "(no email)"}</h1>
      <dl className="facts">
        <dt>Role</dt>
        <dd>{account.role}</dd>
        <dt>Email confirmed</dt>
        <dd data-testid="email-confirmed">{account.emailVerified ? formatUtc(account.emailVerified) : "Not yet (created by a checkout; no admin rights until confirmed)"}</dd>
        <dt>Member since</dt>
        <dd>{formatUtc(account.memberSince)}</dd>
        <dt>Reads in full</dt>
        <dd data-testid="entitled">
          {reader.entitlement
            ? `Yes, by ${reader.entitlement.source === "grant" ? "a grant" : "subscription"}${reader.entitlement.until ? ` until ${formatUtc(reader.entitlement.until)}` : ""}`
            : "No"}
        </dd>
        <dt>Stripe customer</dt>
        <dd>{reader.customerIds.length > 0 ? reader.customerIds.map((id) => <code key={id}>{id} </code>) : "none"}</dd>
        <dt>Access</dt>
        <dd>{account.email && <Link href={`/admin/trace?reader=${encodeURIComponent(account.email)}`}>Trace this reader&apos;s access to an article</Link>}</dd>
        <dt>Meter</dt>
        <dd>{reader.meter ? `${reader.meter.articles} ${reader.meter.articles === 1 ? "article" : "articles"} in the window that started ${formatUtc(reader.meter.windowStart)}` : "No articles counted yet"}</dd>
      </dl>

      <h2>Complimentary access</h2>
      {reader.grants.length === 0 ? (
        <p>No grants.</p>
      ) : (
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col">Reason</th>
              <th scope="col">From</th>
              <th scope="col">Until</th>
              <th scope="col">Granted by</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {reader.grants.map((grant) => (
              <tr key={grant.id}>
                <td>{grant.reason}</td>
                <td>{formatUtc(grant.startsAt)}</td>
                <td>{grant.endsAt ? formatUtc(grant.endsAt) : "until revoked"}</td>
                <td>{grant.createdBy ?? "—"}</td>
                <td>
                  {grant.revokedAt ? (
                    `Revoked ${formatUtc(grant.revokedAt)}`
                  ) : grant.active ? (
                    <ActionButton action={revokeGrantAction} fields={{ grantId: grant.id }} label="Revoke" pendingLabel="Revoking…" ariaLabel={`Revoke the grant “${grant.reason}”`} />
                  ) : (
                    "Ended"
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <GrantForm userId={account.id} />

      <h2>Subscriptions</h2>
      {reader.subscriptions.length === 0 ? (
        <p>None.</p>
      ) : (
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col">Plan</th>
              <th scope="col">Status</th>
              <th scope="col">Entitles</th>
              <th scope="col">Started</th>
              <th scope="col">Period ends</th>
              <th scope="col">Stripe</th>
            </tr>
          </thead>
          <tbody>
            {reader.subscriptions.map((sub) => (
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
            ))}
          </tbody>
        </table>
      )}

      <h2>Invoices</h2>
      {reader.invoices.length === 0 ? (
        <p>None.</p>
      ) : (
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Amount</th>
              <th scope="col">Status</th>
              <th scope="col">Invoice</th>
            </tr>
          </thead>
          <tbody>
            {reader.invoices.map((invoice) => (
              <tr key={invoice.id}>
                <td>{formatUtc(invoice.created)}</td>
                <td>{formatMoney(invoice.amount, invoice.currency)}</td>
                <td>{invoice.status}</td>
                <td>{invoice.url ? <a href={invoice.url}>{invoice.id}</a> : <code>{invoice.id}</code>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>Stripe events</h2>
      {reader.events.length === 0 ? (
        <p>None.</p>
      ) : (
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col">Received</th>
              <th scope="col">Type</th>
              <th scope="col">Outcome</th>
            </tr>
          </thead>
          <tbody>
            {reader.events.map((event) => (
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
            ))}
          </tbody>
        </table>
      )}
      {reader.customerIds.length > 0 && (
        <p>
          <Link href={`/admin/webhooks`}>All webhook events</Link>
        </p>
      )}
    </section>
  );
}
