import "server-only";
import type { NextRequest } from "next/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { formatMoney } from "@/lib/billing/money";
import { receiptTime } from "@/lib/retention/recorded-cancellation";
import { withdrawableSubscriptions, withdrawableUntil, withdrawalRule, withdrawFromAccount, type WithdrawOutcome } from "@/lib/retention/withdrawals";
import { html, type SafeHtml } from "@/lib/ui/html";
import { readerForm } from "./reader-form";
import { readerOf, readerPageResponse, seeOther } from "./reader-page";

const dateFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "long", timeZone: "UTC" });

/** The only field: which contract. */
const withdrawForm = z.object({ subscription: z.string().regex(/^sub_[A-Za-z0-9_]{1,200}$/, "Choose one of your subscriptions.") });

const ruleWords = () =>
  withdrawalRule() === "pro_rata_refund"
    ? "It ends at once, and you are refunded what you paid, less the days you have read (each day begun counts)."
    : "It ends at once, and you are refunded everything you paid.";

/**
 * /account/withdraw: the EU withdrawal function, signed in. Each subscription bought in the last
 * 14 days, with one button. Signed out, /cancel mails a one-time link instead (no sign-in needed).
 */
export async function withdrawPageResponse(request: NextRequest): Promise<Response> {
  const user = await readerOf(request);
  if (!user) return seeOther("/cancel");
  const open = await withdrawableSubscriptions(await getDb(), user.id);
  return readerPageResponse(request, {
    title: "Withdraw from contract",
    noindex: true,
    user,
    main: html`<section class="page page--narrow">
  <h1>Withdraw from contract</h1>
  ${
    open.length === 0
      ? html`<p data-testid="nothing-to-withdraw">None of your subscriptions can be withdrawn from: that is possible for 14 days after buying. You can still <a href="/cancel">cancel</a> at the end of the period you paid for.</p>`
      : html`<p>${ruleWords()}</p>
  ${open.map(
    ({ sub, plan }) => html`<form method="post" action="/account/withdraw" class="subscription" data-withdraw="${sub.stripeSubscriptionId}">
    <p><strong>${plan}</strong> (${sub.stripeSubscriptionId}), bought on ${dateFormat.format(sub.stripeCreated)}; you may withdraw until ${dateFormat.format(withdrawableUntil(sub))}.</p>
    <input type="hidden" name="subscription" value="${sub.stripeSubscriptionId}">
    <button class="button" type="submit">Withdraw from contract</button>
  </form>`,
  )}`
  }
  <p><a href="/account">Back to your account</a></p>
</section>`,
  });
}

const REFUSED: Record<Exclude<WithdrawOutcome, { ok: true }>["reason"], { status: number; text: string }> = {
  off: { status: 404, text: "Withdrawing is not offered here. You can cancel at the end of the period you paid for." },
  not_yours: { status: 404, text: "That subscription could not be found on your account. Nothing was changed." },
  not_live: { status: 409, text: "This subscription has ended already, so nothing was changed." },
  period_over: { status: 409, text: "The 14 days for withdrawing from this subscription are over, so nothing was changed. You can still cancel at the end of the period you paid for." },
};

export function withdrawResult(outcome: WithdrawOutcome, now: Date): { status: number; title: string; body: SafeHtml } {
  if (!outcome.ok) {
    const refused = REFUSED[outcome.reason];
    return { status: refused.status, title: "Nothing was changed", body: html`<h1>Nothing was changed</h1><p class="form-message form-message--error" role="alert" data-withdraw-result="${outcome.reason}">${refused.text}</p>` };
  }
  if (!outcome.recorded) {
    return { status: 200, title: "Already withdrawn", body: html`<h1>Already withdrawn</h1><p data-withdraw-result="already">You have withdrawn from this subscription already; nothing more was changed.</p>` };
  }
  const { refund, currency } = outcome.recorded;
  return {
    status: 200,
    title: "You have withdrawn",
    body: html`<h1>You have withdrawn from your subscription</h1>
<p data-withdraw-result="withdrawn">Your ${outcome.plan} subscription ended on ${receiptTime(now)}. Nothing more will be charged.</p>
<p data-testid="refund">${refund > 0 && currency ? `We refund ${formatMoney(refund, currency)} to the card you paid with.` : "Nothing was charged, so there is nothing to refund."}</p>
<p>We have emailed you a receipt.</p>`,
  };
}

/** The button: checks the caller (same site, signed in), parses the one field, withdraws. */
export async function withdrawPostResponse(request: NextRequest): Promise<Response> {
  const posted = await readerForm(request, "/account/withdraw");
  if (posted instanceof Response) return posted;
  const input = withdrawForm.safeParse(Object.fromEntries(posted.form));
  const now = new Date();
  const outcome: WithdrawOutcome = input.success ? await withdrawFromAccount(await getDb(), posted.user.id, input.data.subscription, now) : { ok: false, reason: "not_yours" };
  const result = withdrawResult(outcome, now);
  return readerPageResponse(request, { title: result.title, noindex: true, user: posted.user, status: result.status, main: html`<section class="page page--narrow">${result.body}<p><a href="/account">Your account</a></p></section>` });
}
