import "server-only";
import type { NextRequest } from "next/server";
import { getDb } from "@/db/client";
import type { SessionUser } from "@/lib/auth/session-user";
import { accountBilling, type AccountSubscription } from "@/lib/billing/account-billing";
import { formatMoney } from "@/lib/billing/money";
import { billingConfigured } from "@/lib/billing/mode";
import { newsletterChoices } from "@/lib/newsletters/subscriptions";
import { withdrawableSubscriptions } from "@/lib/retention/withdrawals";
import { html, type SafeHtml } from "@/lib/ui/html";
import { scrollingTable } from "@/lib/ui/table";
import { familyAccountLine } from "./family-pages";
import { readerOf, readerPageResponse, toSignIn } from "./reader-page";
import { yourDataSection } from "./your-data-section";

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

/** What the last change did (?billing=…, from the cancel flow, the resume button and the newsletter form). */
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
  newsletters: { text: "Your newsletters are saved." },
};

/** A newsletter form that could not be saved: the lists as they were ticked, and why. */
export type NewsletterRetry = { ticked: number[]; error: string };

/** /account: who you are, each subscription in words, invoices, gifts, newsletters, sign out. */
export async function accountPageResponse(request: NextRequest, retry?: NewsletterRetry): Promise<Response> {
  const user = await readerOf(request);
  if (!user) return toSignIn("/account");
  const outcome = OUTCOMES[request.nextUrl.searchParams.get("billing") ?? ""];
  const db = await getDb();
  const [billing, newsletters, withdrawable, family] = await Promise.all([
    accountBilling(db, user.id),
    newsletterPreferences(user, retry),
    withdrawableSubscriptions(db, user.id),
    familyAccountLine(user.id),
  ]);
  const mayWithdraw = new Set(withdrawable.map((w) => w.sub.stripeSubscriptionId));
  const current = billing.subscriptions.find((s) => s.entitled) ?? billing.subscriptions[0];
  return readerPageResponse(request, {
    title: "Your account",
    receipt: true,
    user,
    status: retry ? 400 : 200,
    main: html`<section class="page">
  <h1>Your account</h1>
  ${outcome && !retry ? html`<p class="form-message ${outcome.error ? "form-message--error" : "form-message--ok"}" role="${outcome.error ? "alert" : "status"}">${outcome.text}</p>` : ""}
  <dl class="facts">
    <dt>Email</dt>
    <dd>${user.email}${user.emailVerified ? "" : html`<span data-testid="unverified"> (not confirmed yet: sign in with the link we emailed you to confirm it)</span>`}</dd>
    <dt>Member since</dt>
    <dd>${day(user.createdAt)}</dd>
    <dt>Plan</dt>
    <dd data-testid="plan-summary">${current ? (current.planName ?? "Subscription") : billing.grant ? "Complimentary access" : "Free account"}</dd>
    ${billing.grant ? html`<dt>Complimentary access</dt><dd>${billing.grant.endsAt ? `until ${day(billing.grant.endsAt)}` : "no end date"}</dd>` : ""}
  </dl>
  ${billing.subscriptions.length > 1 ? html`<h2>Your subscriptions</h2>` : ""}
  ${billing.subscriptions.map((sub) => subscriptionFacts(sub, mayWithdraw.has(sub.id)))}
  ${billingConfigured() && billing.subscriptions.length === 0 && !billing.grant ? html`<p><a class="button" href="/subscribe">Subscribe for unlimited access</a></p>` : ""}
  ${
    billing.invoices.length > 0
      ? html`<h2>Invoices</h2>
  ${scrollingTable(
    "table",
    ["Date", "Amount", "Status", "Invoice"],
    billing.invoices.map(
      (invoice) =>
        html`<tr><td>${day(invoice.date)}</td><td>${formatMoney(invoice.amount, invoice.currency)}</td><td>${INVOICE_STATUS[invoice.status] ?? invoice.status}</td><td>${invoice.url ? html`<a href="${invoice.url}">View invoice<span class="visually-hidden"> of ${day(invoice.date)}</span></a>` : ""}</td></tr>`,
    ),
  )}`
      : ""
  }
  <p><a href="/account/gifts">Your gifts</a>: articles you gave away, and the links you can still revoke.</p>
  ${family}
  <p><a href="/org">Your organisation</a>: read under your employer's or library's licence, or manage its members.</p>
  ${newsletters}
  ${await yourDataSection(db, user.id)}
  <h2>Sign out</h2>
  <div class="actions">
    <form method="post" action="/account/sign-out"><button class="button button--secondary" type="submit" name="scope" value="here">Sign out</button></form>
    <form method="post" action="/account/sign-out"><button class="button button--secondary" type="submit" name="scope" value="everywhere">Sign out of all devices</button></form>
  </div>
</section>`,
  });
}

function subscriptionFacts(sub: AccountSubscription, mayWithdraw: boolean): SafeHtml {
  const discount = sub.discount;
  return html`<div class="subscription" data-testid="subscription" data-subscription="${sub.id}">
  <dl class="facts">
    <dt>Subscription</dt>
    <dd data-testid="plan">${sub.planName ?? "Subscription"}</dd>
    <dt>Status</dt>
    <dd data-testid="status">${stateLabel(sub)}</dd>
    ${sub.trialEndsAt ? html`<dt>Trial ends</dt><dd>${day(sub.trialEndsAt)}</dd>` : ""}
    ${sub.pauseStarts ? html`<dt>Paid through</dt><dd data-testid="pause-starts">${day(sub.pauseStarts)}, then paused</dd>` : ""}
    ${sub.paused ? html`<dt>Paused until</dt><dd data-testid="paused-until">${sub.pausedUntil ? day(sub.pausedUntil) : "you resume"}</dd>` : ""}
    ${
      discount
        ? html`<dt>Discount</dt><dd data-testid="discount">${discount.off}${
            discount.duration === "forever" ? ", for as long as you subscribe" : discount.endsAt ? ` until ${day(discount.endsAt)}` : " on your first payment"
          }${discount.nextPayment !== null && sub.price ? `, then ${formatMoney(sub.price.amount, sub.price.currency)} / ${sub.price.interval}` : ""}</dd>`
        : ""
    }
    ${
      sub.nextPayment
        ? html`<dt>Next payment</dt><dd data-testid="next-payment">${formatMoney(sub.nextPayment.amount, sub.nextPayment.currency)} on ${day(sub.nextPayment.on)}</dd>`
        : sub.renewsAt
          ? html`<dt>Renews on</dt><dd>${day(sub.renewsAt)}</dd>`
          : ""
    }
    ${sub.endsAt ? html`<dt>${sub.entitled ? "Access ends on" : "Ended on"}</dt><dd>${day(sub.endsAt)}</dd>` : ""}
  </dl>
  ${
    billingConfigured()
      ? html`<div class="actions">
    <form method="post" action="/account/billing-portal"><input type="hidden" name="subscription" value="${sub.id}"><button class="button" type="submit">Manage subscription</button></form>
    ${sub.resumable ? html`<form method="post" action="/account/resume"><input type="hidden" name="subscription" value="${sub.id}"><button class="button" type="submit">${sub.paused ? "Resume now" : "Resume"}</button></form>` : ""}
    ${sub.cancellable ? html`<a class="button button--secondary" href="/account/cancel?subscription=${sub.id}">Cancel subscription</a>` : ""}
    ${mayWithdraw ? html`<a class="button button--secondary" href="/account/withdraw" data-testid="withdraw-link">Withdraw from contract here</a>` : ""}
  </div>`
      : ""
  }
</div>`;
}

/** The account page's newsletter choices: the same lists as the signed preferences page. */
async function newsletterPreferences(user: SessionUser, retry: NewsletterRetry | undefined): Promise<SafeHtml> {
  const choices = await newsletterChoices(await getDb(), user.id);
  if (choices.length === 0) return html``;
  return html`<h2 id="newsletters-heading">Newsletters</h2>
  ${retry ? html`<p class="form-message form-message--error" role="alert" id="newsletters-error">${retry.error}</p>` : ""}
  <form method="post" action="/account/newsletters" data-testid="newsletter-preferences" aria-labelledby="newsletters-heading">
    ${choices.map(({ newsletter, subscribed }) => {
      const ticked = retry ? retry.ticked.includes(newsletter.id) : subscribed;
      return html`<p><label><input type="checkbox" name="newsletter" value="${newsletter.id}"${ticked ? html` checked` : ""}${retry ? html` aria-describedby="newsletters-error"` : ""}> ${newsletter.name}</label>${
        newsletter.description ? html`<br><span class="field-hint">${newsletter.description}</span>` : ""
      }</p>`;
    })}
    <div class="actions">
      <button class="button" type="submit" name="intent" value="save">Save my newsletters</button>
      <button class="button button--secondary" type="submit" name="intent" value="unsubscribe-all">Unsubscribe from all</button>
    </div>
  </form>`;
}
