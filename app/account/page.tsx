import type { Metadata } from "next";
import { DataTable } from "@/app/admin/_components/data-table";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/current-user";
import { accountBilling, type AccountSubscription } from "@/lib/billing/account-billing";
import { formatMoney } from "@/lib/billing/money";
import { billingConfigured } from "@/lib/billing/mode";
import { signOutEverywhere, signOutHere } from "./actions";
import { NewsletterPreferences } from "./newsletter-preferences";
import { resumeSubscriptionAction } from "./cancel/actions";
import { ReceiptNotice } from "@/app/receipt-notice";

export const metadata: Metadata = { title: "Your account" };

const dateFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "long", timeZone: "UTC" });
const day = (d: Date | null) => (d ? dateFormat.format(d) : "—");
const STATUS: Record<string, string> = {
  active: "Active",
  trialing: "Free trial",
  past_due: "Payment failed: please update your card",
  canceled: "Cancelled",
  unpaid: "Unpaid",
  incomplete: "Awaiting payment",
  incomplete_expired: "Expired",
  paused: "Paused",
};

const INVOICE_STATUS: Record<string, string> = { paid: "Paid", open: "Due", draft: "Draft", void: "Void", uncollectible: "Unpaid" };

/** A subscription's state in words: one set to end says when, instead of "Active". */
function stateLabel(sub: AccountSubscription): string {
  if (sub.paused && !sub.entitled) return "Paused";
  if (sub.endsAt && sub.entitled && sub.status !== "canceled" && !sub.paused) return `Cancels on ${day(sub.endsAt)}`;
  return STATUS[sub.status] ?? sub.status;
}

/** What the last subscription change did (?billing=…, from the cancel flow's actions). */
const OUTCOMES: Record<string, { text: string; error?: boolean }> = {
  cancelled: { text: "Your subscription is cancelled: you keep access until the date below." },
  kept: { text: "Thank you for staying. Your subscription is updated." },
  resumed: { text: "Your subscription is back on." },
  resume_already_subscribed: { text: "Your other subscription renews, so this one still ends with the days you paid for: you are not charged twice.", error: true },
  resume_declined: { text: "Your card was declined, so your subscription is still paused. Update your card, then resume.", error: true },
  already_used: { text: "You have already used this offer: it is once per subscription, and once a year per account.", error: true },
  unchanged: { text: "Nothing changed." },
  invalid: { text: "That subscription could not be found.", error: true },
  unavailable: { text: "Billing is not available just now. Please try again in a minute.", error: true },
};

export default async function AccountPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser("/account");
  const outcomeKey = (await searchParams).billing;
  const outcome = typeof outcomeKey === "string" ? OUTCOMES[outcomeKey] : undefined;
  const billing = await accountBilling(await getDb(), user.id);
  const current = billing.subscriptions.find((s) => s.entitled) ?? billing.subscriptions[0];
  return (
    <section className="page">
      <ReceiptNotice />
      <h1>Your account</h1>
      {outcome && (
        <p className={`form-message ${outcome.error ? "form-message--error" : "form-message--ok"}`} role={outcome.error ? "alert" : "status"}>
          {outcome.text}
        </p>
      )}
      <dl className="facts">
        <dt>Email</dt>
        <dd>
          {user.email}
          {!user.emailVerified && <span data-testid="unverified"> (not confirmed yet: sign in with the link we emailed you to confirm it)</span>}
        </dd>
        <dt>Member since</dt>
        <dd>{day(user.createdAt)}</dd>
        <dt>Plan</dt>
        <dd data-testid="plan-summary">{current ? (current.planName ?? "Subscription") : billing.grant ? "Complimentary access" : "Free account"}</dd>
        {billing.grant && (
          <>
            <dt>Complimentary access</dt>
            <dd>{billing.grant.endsAt ? `until ${day(billing.grant.endsAt)}` : "no end date"}</dd>
          </>
        )}
      </dl>
      {billing.subscriptions.length > 1 && <h2>Your subscriptions</h2>}
      {billing.subscriptions.map((sub) => (
        <div className="subscription" data-testid="subscription" data-subscription={sub.id} key={sub.id}>
          <dl className="facts">
            <dt>Subscription</dt>
            <dd data-testid="plan">{sub.planName ?? "Subscription"}</dd>
            <dt>Status</dt>
            <dd data-testid="status">{stateLabel(sub)}</dd>
            {sub.trialEndsAt && (
              <>
                <dt>Trial ends</dt>
                <dd>{day(sub.trialEndsAt)}</dd>
              </>
            )}
            {sub.pauseStarts && (
              <>
                <dt>Paid through</dt>
                <dd data-testid="pause-starts">{day(sub.pauseStarts)}, then paused</dd>
              </>
            )}
            {sub.paused && (
              <>
                <dt>Paused until</dt>
                <dd data-testid="paused-until">{sub.pausedUntil ? day(sub.pausedUntil) : "you resume"}</dd>
              </>
            )}
            {sub.discount && (
              <>
                <dt>Discount</dt>
                <dd data-testid="discount">
                  {sub.discount.off}
                  {sub.discount.duration === "forever" ? ", for as long as you subscribe" : sub.discount.endsAt ? ` until ${day(sub.discount.endsAt)}` : " on your first payment"}
                  {sub.discount.nextPayment !== null && sub.price && `, then ${formatMoney(sub.price.amount, sub.price.currency)} / ${sub.price.interval}`}
                </dd>
              </>
            )}
            {sub.nextPayment ? (
              <>
                <dt>Next payment</dt>
                <dd data-testid="next-payment">
                  {formatMoney(sub.nextPayment.amount, sub.nextPayment.currency)} on {day(sub.nextPayment.on)}
                </dd>
              </>
            ) : (
              sub.renewsAt && (
                <>
                  <dt>Renews on</dt>
                  <dd>{day(sub.renewsAt)}</dd>
                </>
              )
            )}
            {sub.endsAt && (
              <>
                <dt>{sub.entitled ? "Access ends on" : "Ended on"}</dt>
                <dd>{day(sub.endsAt)}</dd>
              </>
            )}
          </dl>
          {billingConfigured() && (
            <div className="actions">
              <form method="post" action="/account/billing-portal">
                <input type="hidden" name="subscription" value={sub.id} />
                <button className="button" type="submit">
                  Manage subscription
                </button>
              </form>
              {sub.resumable && (
                <form action={resumeSubscriptionAction}>
                  <input type="hidden" name="subscription" value={sub.id} />
                  <button className="button" type="submit">
                    {sub.paused ? "Resume now" : "Resume"}
                  </button>
                </form>
              )}
              {sub.cancellable && (
                <a className="button button--secondary" href={`/account/cancel?subscription=${sub.id}`}>
                  Cancel subscription
                </a>
              )}
            </div>
          )}
        </div>
      ))}
      {billingConfigured() && billing.subscriptions.length === 0 && !billing.grant && (
        <p>
          <a className="button" href="/subscribe">
            Subscribe for unlimited access
          </a>
        </p>
      )}
      {billing.invoices.length > 0 && (
        <>
          <h2>Invoices</h2>
          <DataTable columns={["Date", "Amount", "Status", "Invoice"]} rows={billing.invoices} className="table">
            {(invoice) => (
              <tr key={invoice.id}>
                <td>{day(invoice.date)}</td>
                <td>{formatMoney(invoice.amount, invoice.currency)}</td>
                <td>{INVOICE_STATUS[invoice.status] ?? invoice.status}</td>
                <td>{invoice.url && <a href={invoice.url}>View invoice<span className="visually-hidden"> of {day(invoice.date)}</span></a>}</td>
              </tr>
            )}
          </DataTable>
        </>
      )}
      <p>
        <a href="/account/gifts">Your gifts</a>: articles you gave away, and the links you can still revoke.
      </p>
      <p>
        <a href="/org">Your organisation</a>: read under your employer&apos;s or library&apos;s licence, or manage its members.
      </p>
      <NewsletterPreferences userId={user.id} />
      <h2>Sign out</h2>
      <div className="actions">
        <form action={signOutHere}>
          <button className="button button--secondary" type="submit">
            Sign out
          </button>
        </form>
        <form action={signOutEverywhere}>
          <button className="button button--secondary" type="submit">
            Sign out of all devices
          </button>
        </form>
      </div>
    </section>
  );
}
