import "server-only";
import type { NextRequest } from "next/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { formatMoney } from "@/lib/billing/money";
import { listActivePlans, type PlanOffer } from "@/lib/billing/plans";
import { env } from "@/lib/env";
import { GIFT_MONTHS, giftPurchaseSchema, giftStartSchema, latestDelivery, MESSAGE_MAX, redeemTokenSchema } from "@/lib/gift-subscriptions/fields";
import { dateIn, giftPrice, monthsText } from "@/lib/gift-subscriptions/pricing";
import { startGiftPurchase } from "@/lib/gift-subscriptions/purchase";
import { findRedeemLink, readingAlreadyHeldUntil, redeemGiftSubscription } from "@/lib/gift-subscriptions/redeem";
import { settleGiftReturn } from "@/lib/gift-subscriptions/settle";
import { notFoundNotice } from "@/lib/ui/error-pages";
import { html, type SafeHtml } from "@/lib/ui/html";
import { readerForm } from "./reader-form";
import { readerOf, readerPageResponse, seeOther } from "./reader-page";

type Values = Record<string, string>;
type Errors = Partial<Record<"planId" | "months" | "recipientEmail" | "message" | "deliverOn" | "form", string>>;

const today = (now = new Date()) => dateIn(now, env().SITE_TIME_ZONE);

function fieldError(name: string, errors: Errors): SafeHtml | string {
  const message = errors[name as keyof Errors];
  return message ? html`<p class="field-error" id="${name}-error" role="alert">${message}</p>` : "";
}

const invalid = (name: keyof Errors, errors: Errors) => (errors[name] ? html` aria-invalid="true" aria-describedby="${name}-error"` : "");

function priceLines(plans: PlanOffer[]): SafeHtml {
  return html`<ul class="gift-prices">${plans.map((p) => html`<li>${p.name}: ${GIFT_MONTHS.map((m) => `${monthsText(m)} ${formatMoney(giftPrice(p, m), p.currency)}`).join(" · ")}</li>`)}</ul>`;
}

function giftForm(plans: PlanOffer[], values: Values, errors: Errors): SafeHtml {
  const day = today();
  return html`<form method="post" action="/gift" aria-label="Buy a gift subscription" novalidate>
  ${errors.form ? html`<p class="form-message form-message--error" role="alert">${errors.form}</p>` : ""}
  <div class="field">
    <label for="planId">Plan</label>
    ${fieldError("planId", errors)}
    <select id="planId" name="planId"${invalid("planId", errors)}>
      ${plans.map((p) => html`<option value="${p.id}"${values.planId === String(p.id) ? html` selected` : ""}>${p.name}</option>`)}
    </select>
  </div>
  <div class="field">
    <label for="months">How long</label>
    ${fieldError("months", errors)}
    <select id="months" name="months"${invalid("months", errors)}>
      ${GIFT_MONTHS.map((m) => html`<option value="${m}"${(values.months ?? "12") === String(m) ? html` selected` : ""}>${monthsText(m)}</option>`)}
    </select>
  </div>
  <div class="field">
    <label for="recipientEmail">Recipient's email address</label>
    ${fieldError("recipientEmail", errors)}
    <input id="recipientEmail" name="recipientEmail" type="email" autocomplete="off" required value="${values.recipientEmail ?? ""}"${invalid("recipientEmail", errors)}>
  </div>
  <div class="field">
    <label for="message">Message (optional)</label>
    ${fieldError("message", errors)}
    <textarea id="message" name="message" rows="4" maxlength="${MESSAGE_MAX}"${invalid("message", errors)}>${values.message ?? ""}</textarea>
  </div>
  <div class="field">
    <label for="deliverOn">Delivery date</label>
    ${fieldError("deliverOn", errors)}
    <input id="deliverOn" name="deliverOn" type="date" required min="${day}" max="${latestDelivery(day)}" value="${values.deliverOn ?? day}"${invalid("deliverOn", errors)}>
    <p class="field-hint">Today or any day within a year. We email the recipient a redeem link that morning.</p>
  </div>
  <button class="button" type="submit">Continue to payment</button>
</form>`;
}

async function giftPage(request: NextRequest, values: Values = {}, errors: Errors = {}): Promise<Response> {
  const user = await readerOf(request);
  const plans = await listActivePlans();
  const body = !user
    ? html`<p><a class="button" href="/signin?callbackUrl=%2Fgift">Sign in to buy a gift</a></p>`
    : plans.length === 0
      ? html`<p>There are no plans to give just now.</p>`
      : giftForm(plans, values, errors);
  return readerPageResponse(request, {
    title: "Give a subscription",
    status: Object.keys(errors).length > 0 ? 400 : 200,
    user,
    main: html`<section class="page">
  <h1>Give a subscription</h1>
  <p>Give someone 1, 3, 6 or 12 months of reading. You pay once; it never renews. They get an email with your message on the day you choose, and redeem it with their own account.</p>
  ${plans.length > 0 ? priceLines(plans) : ""}
  ${body}
</section>`,
  });
}

export function giftPageResponse(request: NextRequest): Promise<Response> {
  return giftPage(request);
}

/** The form's post: checked (site, reader, fields) before anything is made; a valid one goes to Stripe Checkout. */
export async function giftPostResponse(request: NextRequest): Promise<Response> {
  const posted = await readerForm(request, "/gift");
  if (posted instanceof Response) return posted;
  const values: Values = Object.fromEntries([...posted.form.entries()].filter(([, v]) => typeof v === "string").map(([k, v]) => [k, String(v).slice(0, 2_000)]));
  if (!posted.user.email || !posted.user.emailVerified) {
    return giftPage(request, values, { form: "Confirm your email address first (sign in by the emailed link): your receipt goes there." });
  }
  const parsed = giftPurchaseSchema(today()).safeParse(values);
  if (!parsed.success) {
    const errors: Errors = {};
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? "form") as keyof Errors;
      errors[field] ??= issue.message;
    }
    return giftPage(request, values, errors);
  }
  const started = await startGiftPurchase(await getDb(), { id: posted.user.id, email: posted.user.email }, parsed.data);
  if (!started.ok) return giftPage(request, values, { [started.field]: started.message });
  return seeOther(started.url);
}

const sessionIdSchema = z.string().regex(/^cs_[A-Za-z0-9_]{1,255}$/);

/** Back from Checkout: the session is fetched from Stripe and settled (never trusted from the URL), for its buyer only. */
export async function giftReturnResponse(request: NextRequest): Promise<Response> {
  const user = await readerOf(request);
  if (!user) return seeOther("/signin?callbackUrl=%2Fgift");
  const sessionId = sessionIdSchema.safeParse(request.nextUrl.searchParams.get("session_id"));
  const gift = sessionId.success ? await settleGiftReturn(await getDb(), sessionId.data, user.id, new Date()) : null;
  if (!gift) return readerPageResponse(request, { title: "Page not found", status: 404, main: notFoundNotice() });
  const what = `${monthsText(gift.months)} of ${gift.planName}`;
  return readerPageResponse(request, {
    title: "Your gift",
    noindex: true,
    user,
    main: gift.paidAt
      ? html`<section class="page">
  <h1>Thank you</h1>
  <p role="status" data-testid="gift-paid">Your gift of ${what} for ${gift.recipientEmail} is paid. We email them a redeem link on ${gift.deliverOn}, and your receipt is on its way.</p>
  <p><a href="/gift">Give another</a></p>
</section>`
      : html`<section class="page">
  <h1>Confirming your payment</h1>
  <p role="status" data-testid="gift-confirming">Stripe has not confirmed the payment yet. Your receipt comes by email as soon as it does; nothing is sent to ${gift.recipientEmail} before.</p>
</section>`,
  });
}

/** A reader who already reads until later chooses when the months start; `after` is checked unless they chose `now`. */
function startChoice(heldUntil: Date, chosen: string | null, error: string | undefined): SafeHtml {
  const now = chosen === "now";
  return html`<fieldset class="field"${error ? html` aria-invalid="true" aria-describedby="start-error"` : ""}>
  <legend>When should the months start?</legend>
  ${error ? html`<p class="field-error" id="start-error" role="alert">${error}</p>` : ""}
  <label><input type="radio" name="start" value="after"${now ? "" : html` checked`}> After the reading you already have ends, on ${heldUntil.toISOString().slice(0, 10)}: no paid day is spent twice</label>
  <label><input type="radio" name="start" value="now"${now ? html` checked` : ""}> Now: the months run alongside the days you already have</label>
</fieldset>`;
}

async function redeemPage(request: NextRequest, token: string, outcome?: { ok: boolean; message: string }, start?: { chosen: string | null; error?: string }): Promise<Response> {
  const link = await findRedeemLink(await getDb(), token);
  const user = await readerOf(request);
  const here = `/gift/redeem?token=${token}`;
  if (!link) {
    return readerPageResponse(request, {
      title: "Redeem a gift",
      noindex: true,
      status: 404,
      user,
      main: html`<section class="page"><h1>Redeem a gift</h1><p>This redeem link is not complete, not one of ours, or a newer email replaced it: open the latest email again.</p></section>`,
    });
  }
  const what = `${monthsText(link.months)} of ${link.planName}`;
  const isRecipient = Boolean(user?.emailVerified && user.email?.toLowerCase() === link.recipientEmail);
  const heldUntil = !outcome && isRecipient && link.state === "open" && user ? await readingAlreadyHeldUntil(await getDb(), user.id, new Date()) : null;
  const main =
    outcome
      ? html`<p role="${outcome.ok ? "status" : "alert"}" data-testid="redeem-outcome">${outcome.message}</p>${outcome.ok ? html`<p><a href="/">Start reading</a></p>` : ""}`
      : link.state === "redeemed"
        ? html`<p>${user && link.redeemedBy === user.id ? "You redeemed this gift: enjoy reading." : "This gift was already redeemed: the link works once."}</p>`
        : link.state === "refunded"
          ? html`<p>This gift was refunded, so it can no longer be redeemed.</p>`
          : isRecipient
            ? html`<form method="post" action="/gift/redeem" aria-label="Redeem the gift">
  <input type="hidden" name="token" value="${token}">
  <p>Someone gave you ${what}. The months start now, or when the subscription you already have ends. Nothing renews.</p>
  ${heldUntil ? startChoice(heldUntil, start?.chosen ?? null, start?.error) : ""}
  <button class="button" type="submit">Redeem the gift</button>
</form>`
            : html`<p>This gift works only for the address it was sent to, once you have signed in with it by the emailed link.</p>
<p><a class="button" href="/signin?callbackUrl=${encodeURIComponent(here)}">${user ? "Sign in with the address the gift was sent to" : "Sign in to redeem"}</a></p>`;
  return readerPageResponse(request, {
    title: "Redeem a gift",
    noindex: true,
    status: (outcome && !outcome.ok) || start?.error ? 400 : 200,
    user,
    main: html`<section class="page"><h1>Your gift: ${what}</h1>${main}</section>`,
  });
}

export async function redeemPageResponse(request: NextRequest): Promise<Response> {
  const token = redeemTokenSchema.safeParse(request.nextUrl.searchParams.get("token"));
  if (!token.success) {
    return readerPageResponse(request, { title: "Redeem a gift", noindex: true, status: 404, main: html`<section class="page"><h1>Redeem a gift</h1><p>${token.error.issues[0]!.message}</p></section>` });
  }
  return redeemPage(request, token.data);
}

/** Redeeming is a POST by the signed-in reader whose verified address the gift names. */
export async function redeemPostResponse(request: NextRequest): Promise<Response> {
  const posted = await readerForm(request, "/gift");
  if (posted instanceof Response) return posted;
  const token = redeemTokenSchema.safeParse(posted.form.get("token"));
  if (!token.success) return seeOther("/gift");
  const chosen = posted.form.get("start");
  const start = giftStartSchema.safeParse(chosen ?? undefined);
  if (!start.success) return redeemPage(request, token.data, undefined, { chosen: typeof chosen === "string" ? chosen : null, error: start.error.issues[0]!.message });
  const outcome = await redeemGiftSubscription(await getDb(), token.data, posted.user, new Date(), start.data);
  const day = (d: Date) => d.toISOString().slice(0, 10);
  return redeemPage(
    request,
    token.data,
    outcome.ok ? { ok: true, message: `Redeemed: you can read every article from ${day(outcome.startsAt)} until ${day(outcome.endsAt)}. It does not renew.` } : outcome,
  );
}
