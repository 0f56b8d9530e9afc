import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { plans, subscriptions } from "@/db/schema";
import type { SessionUser } from "@/lib/auth/session-user";
import { formatMoney } from "@/lib/billing/money";
import { ATTRIBUTION_COOKIE } from "@/lib/analytics/attribution-cookie";
import { READER_ID_COOKIE } from "@/lib/experiments/reader-key";
import { env } from "@/lib/env";
import { SESSION_COOKIE_NAMES } from "@/lib/http/cookies";
import { deleteAccount, type EndedSubscription } from "@/lib/privacy/delete-account";
import { withdrawalRule, withdrawRefusal } from "@/lib/retention/withdrawals";
import { RECEIPT_COOKIE } from "@/lib/billing/receipt";
import { html, type SafeHtml } from "@/lib/ui/html";
import { documentShell, READER_HINT_COOKIE } from "@/lib/ui/site-chrome";
import { readerForm } from "./reader-form";
import { readerOf, readerPageResponse, toSignIn } from "./reader-page";

/** The one field: the button's own value, so a post without it (or a forged one) deletes nothing. */
export const deleteAccountForm = z.object({ confirm: z.literal("delete-my-account", { error: "Press the “Delete my account” button to confirm." }) });

/** What the page says is kept, and why (the same words in docs/readers-data.md). */
const KEPT = html`<p>We keep your invoices and the terms you agreed to at checkout (the consent record), because bookkeeping and consumer law require it: invoices for as long as the tax law of the publisher's country says (commonly up to ten years), consent records for three years after the subscription ends. They stay attached to no name and no address. Stripe, which took your payments, keeps its own copy of your payments for the same reason.</p>`;

/** Each live subscription and what deleting does to it: a withdrawal with a refund within the EU 14 days, else it ends now without a refund. */
async function whatEnds(userId: string, now: Date): Promise<SafeHtml> {
  const live = await (await getDb())
    .select({ sub: subscriptions, plan: plans.name })
    .from(subscriptions)
    .leftJoin(plans, eq(plans.id, subscriptions.planId))
    .where(and(eq(subscriptions.userId, userId), inArray(subscriptions.status, ["trialing", "active", "past_due", "unpaid", "paused", "incomplete"])));
  if (live.length === 0) return html`<p>You have no subscription running.</p>`;
  const rule = withdrawalRule();
  return html`<ul data-testid="ending-subscriptions">${live.map(({ sub, plan }) => {
    const withdraws = rule !== null && withdrawRefusal(sub, now) === null;
    return html`<li><strong>${plan ?? "Subscription"}</strong> ends at once. ${
      withdraws
        ? rule === "pro_rata_refund"
          ? "You bought it less than 14 days ago, so this is a withdrawal from the contract: you are refunded what you paid, less the days you have read."
          : "You bought it less than 14 days ago, so this is a withdrawal from the contract: you are refunded everything you paid."
        : "Nothing more is charged; the days already paid for are not refunded."
    }</li>`;
  })}</ul>`;
}

function deletePage(user: SessionUser, ends: SafeHtml, error?: string): SafeHtml {
  if (!user.emailVerified) {
    return html`<section class="page page--narrow">
  <h1>Delete your account</h1>
  <p class="form-message form-message--error" role="alert" data-testid="verify-first">To delete your account, first sign in with the link we email to ${user.email ?? "your address"}: that proves the account is yours.</p>
  <p><a href="/account">Back to your account</a></p>
</section>`;
  }
  return html`<section class="page page--narrow">
  <h1>Delete your account</h1>
  <p>This deletes the account of <strong>${user.email}</strong>. It cannot be undone.</p>
  <h2>Your subscriptions</h2>
  ${ends}
  <h2>What is erased</h2>
  <p>Your email address and name, your sign-ins (you are signed out on every device, and any GitHub or Google sign-in is unlinked), your newsletters, your reading meter, your organisation memberships, and the link between you and the pages you read or subscribed from.</p>
  <h2>What is kept</h2>
  ${KEPT}
  <p>We email ${user.email} once to confirm; it is the last mail to this address. Signing in again with it later starts a new, empty account.</p>
  <p>Want a copy first? <a href="/account">Download my data</a> from your account page.</p>
  <form method="post" action="/account/delete" novalidate>
    ${error ? html`<p class="form-message form-message--error" role="alert" id="confirm-error" data-testid="field-error">${error}</p>` : ""}
    <button class="button" type="submit" name="confirm" value="delete-my-account"${error ? html` aria-describedby="confirm-error"` : ""}>Delete my account</button>
  </form>
  <p><a href="/account">Keep my account</a></p>
</section>`;
}

/** GET /account/delete: what deleting does, and the one button. */
export async function deleteAccountPageResponse(request: NextRequest): Promise<Response> {
  const user = await readerOf(request);
  if (!user) return toSignIn("/account/delete");
  return readerPageResponse(request, { title: "Delete your account", noindex: true, user, main: deletePage(user, await whatEnds(user.id, new Date())) });
}

function endedWords(end: EndedSubscription): string {
  if (end.kind === "cancellation") return `Your ${end.plan} subscription has ended. Nothing more will be charged.`;
  return `Your ${end.plan} subscription has ended as a withdrawal from the contract. ${end.refund > 0 && end.currency ? `We refund ${formatMoney(end.refund, end.currency)} to the card you paid with.` : "Nothing was charged, so there is nothing to refund."}`;
}

/**
 * The button: same site and signed in (readerForm), a verified sign-in, the confirm field. Then
 * the deletion, and a page that clears this browser's sign-in cookies. A replay finds no session
 * (they are all gone) and is sent to sign in, changing nothing.
 */
export async function deleteAccountPostResponse(request: NextRequest): Promise<Response> {
  const posted = await readerForm(request, "/account/delete");
  if (posted instanceof Response) return posted;
  const { user } = posted;
  const input = deleteAccountForm.safeParse(Object.fromEntries(posted.form));
  if (!user.emailVerified || !input.success) {
    const error = input.success ? undefined : (input.error.issues[0]?.message ?? "Press the button to confirm.");
    return readerPageResponse(request, { title: "Delete your account", noindex: true, user, status: user.emailVerified ? 400 : 403, main: deletePage(user, await whatEnds(user.id, new Date()), error) });
  }
  const outcome = await deleteAccount(await getDb(), user.id, { by: "reader" });
  const ended = outcome.ok && outcome.deleted ? outcome.ended : [];
  const { SITE_NAME } = env();
  const main = html`<section class="page page--narrow">
  <h1>Your account is deleted</h1>
  <p data-testid="account-deleted">Your personal data is erased and you are signed out on every device. We have emailed ${user.email} a confirmation.</p>
  ${ended.map((end) => html`<p data-testid="ended-subscription">${endedWords(end)}</p>`)}
  ${KEPT}
  <p><a href="/">Back to the front page</a></p>
</section>`;
  const document = documentShell({ title: `Account deleted — ${SITE_NAME}`, head: html`<meta name="robots" content="noindex">`, main, header: "anonymous" });
  const response = new NextResponse(document, { status: 200, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "private, no-store", vary: "Cookie" } });
  for (const name of [...SESSION_COOKIE_NAMES, READER_HINT_COOKIE, RECEIPT_COOKIE, READER_ID_COOKIE, ATTRIBUTION_COOKIE]) if (request.cookies.has(name)) response.cookies.delete(name);
  return response;
}
