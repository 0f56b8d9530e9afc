import "server-only";
import type { NextRequest } from "next/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import type { SessionUser } from "@/lib/auth/session-user";
import { billingDay } from "@/lib/billing/billing-day";
import { acceptRetention, CANCEL_REASONS, cancelAtPeriodEnd, cancelScreen, NotYourSubscriptionError } from "@/lib/retention/cancel-flow";
import { notFoundNotice } from "@/lib/ui/error-pages";
import { html } from "@/lib/ui/html";
import { subscriptionChange } from "./account-forms";
import { readerForm } from "./reader-form";
import { readerOf, readerPageResponse, seeOther, toSignIn } from "./reader-page";

const subscriptionId = z.string().regex(/^sub_[A-Za-z0-9_]{1,200}$/);
const reasons = Object.keys(CANCEL_REASONS) as [keyof typeof CANCEL_REASONS, ...(keyof typeof CANCEL_REASONS)[]];

/** The cancel screen's two forms: "Cancel anyway" (with an optional reason from the list) or the save offer. */
const cancelForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("cancel"), subscription: subscriptionId, reason: z.union([z.literal(""), z.enum(reasons, "Choose a reason from the list, or “Prefer not to say”")]) }),
  z.object({ intent: z.literal("keep"), subscription: subscriptionId }),
]);

/** A cancel form sent back: the reason as chosen, and what was wrong with it. */
type Retry = { reason: string; error: string };

/** One screen: "Cancel" first, with an optional reason, and the retention offer (at most once) beside it, never before it. */
export async function cancelPageResponse(request: NextRequest): Promise<Response> {
  const user = await readerOf(request);
  if (!user) return toSignIn("/account");
  const id = subscriptionId.safeParse(request.nextUrl.searchParams.get("subscription"));
  if (!id.success) return notFound(request);
  return cancelScreenResponse(request, user, id.data);
}

async function cancelScreenResponse(request: NextRequest, user: SessionUser, id: string, retry?: Retry): Promise<Response> {
  let screen;
  try {
    screen = await cancelScreen(await getDb(), user.id, id);
  } catch (error) {
    if (error instanceof NotYourSubscriptionError) return notFound(request);
    throw error;
  }
  const { sub, retention } = screen;
  const end = sub.cancelAt ?? sub.currentPeriodEnd;
  const months = retention?.kind === "pause" ? `${retention.months} ${retention.months === 1 ? "month" : "months"}` : "";
  return readerPageResponse(request, {
    title: "Cancel subscription",
    noindex: true,
    status: retry ? 400 : 200,
    main: html`<section class="page">
  <h1>Cancel your subscription</h1>
  <p>You keep full access until ${end ? billingDay(end, sub.clockOffsetSeconds) : "the end of the period you paid for"}. Nothing more will be charged.</p>
  <div class="cancel-choices">
  <form method="post" action="/account/cancel" aria-label="Cancel">
    <input type="hidden" name="subscription" value="${sub.stripeSubscriptionId}">
    <div class="field">
      <label for="reason">Why are you leaving? (optional)</label>
      ${retry ? html`<p class="field-error" id="reason-error" role="alert">${retry.error}</p>` : ""}
      <select id="reason" name="reason"${retry ? html` aria-invalid="true" aria-describedby="reason-error"` : ""}>
        <option value="">Prefer not to say</option>
        ${Object.entries(CANCEL_REASONS).map(([value, label]) => html`<option value="${value}"${retry?.reason === value ? html` selected` : ""}>${label}</option>`)}
      </select>
    </div>
    <button class="button" type="submit" name="intent" value="cancel">${retention ? "Cancel anyway" : "Cancel subscription"}</button>
  </form>
  ${
    retention
      ? html`<form method="post" action="/account/cancel" class="retention-offer" aria-label="Or stay">
    <h2>Or stay</h2>
    <p data-testid="retention-offer">${
      retention.kind === "pause"
        ? `Pause instead: you keep reading until ${retention.paidThrough}, then nothing is charged and nothing can be read for ${months}. On ${retention.resumes} your subscription resumes by itself with a new paid period.`
        : `Stay for less: ${retention.words}`
    }</p>
    <input type="hidden" name="subscription" value="${sub.stripeSubscriptionId}">
    <button class="button button--secondary" type="submit" name="intent" value="keep">${retention.kind === "pause" ? `Pause for ${months}` : "Keep my subscription with this discount"}</button>
  </form>`
      : ""
  }
  </div>
  <p><a href="/account">Keep my subscription as it is</a></p>
</section>`,
  });
}

/** Cancel at the period's end, or take the save offer; each checks the caller and parses its form first. */
export async function cancelPostResponse(request: NextRequest): Promise<Response> {
  const posted = await readerForm(request, "/account");
  if (posted instanceof Response) return posted;
  const fields = Object.fromEntries(posted.form);
  const input = cancelForm.safeParse(fields);
  if (!input.success) {
    const id = subscriptionId.safeParse(fields.subscription);
    const reason = input.error.issues.find((issue) => issue.path[0] === "reason");
    // Only a bad reason can be put right on the screen; anything else names no subscription of theirs.
    if (!id.success || !reason) return seeOther("/account?billing=invalid");
    return cancelScreenResponse(request, posted.user, id.data, { reason: String(fields.reason ?? ""), error: "Choose a reason from the list, or “Prefer not to say”." });
  }
  const form = input.data;
  const db = await getDb();
  const outcome = await subscriptionChange(async () => {
    if (form.intent === "keep") return acceptRetention(db, posted.user.id, form.subscription);
    await cancelAtPeriodEnd(db, posted.user.id, form.subscription, form.reason === "" ? null : form.reason);
    return "cancelled";
  });
  return seeOther(`/account?billing=${outcome}`);
}

function notFound(request: NextRequest): Promise<Response> {
  return readerPageResponse(request, { title: "Page not found", status: 404, main: notFoundNotice() });
}
