import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { sessionTokenFrom } from "@/lib/http/cookies";
import { userForSessionToken } from "@/lib/auth/session-user";
import { CHECKOUT_NONCE_COOKIE } from "@/lib/billing/checkout";
import { RECEIPT_COOKIE, RECEIPT_COOKIE_MAX_AGE } from "@/lib/billing/receipt";
import { secureCookies } from "@/lib/http/cookies";
import { completeCheckoutReturn, type CheckoutReturn } from "@/lib/billing/checkout-return";
import { env } from "@/lib/env";
import { enrolInPaidNewsletters } from "@/lib/newsletters/subscriptions";
import { simplePage } from "@/lib/http/html-response";
import { html } from "@/lib/ui/html";
import { READER_HINT_COOKIE, READER_HINT_OPTIONS } from "@/lib/ui/site-chrome";

const sessionIdSchema = z.string().regex(/^cs_[A-Za-z0-9_]{8,200}$/);

// Back from Checkout: pull from Stripe, sign in this browser if it holds the checkout's nonce, go back to the article.
export async function GET(request: NextRequest) {
  const sessionId = sessionIdSchema.safeParse(request.nextUrl.searchParams.get("session_id"));
  if (!sessionId.success) return unknownCheckout();
  const token = sessionTokenFrom(request.cookies);
  const currentUser = token ? await userForSessionToken(token) : null;
  const result = await completeCheckoutReturn(await getDb(), {
    sessionId: sessionId.data,
    nonce: request.cookies.get(CHECKOUT_NONCE_COOKIE)?.value ?? null,
    currentUserId: currentUser?.id ?? null,
  });
  if (result.kind === "unknown") return unknownCheckout();
  if (result.kind === "processing") {
    return simplePage(
      200,
      "Confirming your payment",
      html`<h1>Confirming your payment…</h1><p>Stripe is still processing your payment. This page checks again every few seconds.</p><p><a href="/account">Go to your account</a></p>`,
      html`<meta http-equiv="refresh" content="3">`,
    );
  }
  // Paying includes the paid-only newsletters (the reader may leave them on the account page).
  await enrolInPaidNewsletters(await getDb(), result.ownerUserId);
  if (result.kind === "link-sent") return linkSentPage(result);
  const response = NextResponse.redirect(new URL(result.returnPath, env().SITE_URL), 303);
  // The page this lands on shows the receipt once, to the checkout's signed-in owner only.
  response.cookies.set(READER_HINT_COOKIE, "subscriber", { ...READER_HINT_OPTIONS, secure: secureCookies() });
  response.cookies.set(RECEIPT_COOKIE, sessionId.data, { httpOnly: true, sameSite: "lax", secure: secureCookies(), path: "/", maxAge: RECEIPT_COOKIE_MAX_AGE });
  if (result.session) {
    response.cookies.set(result.session.name, result.session.value, result.session.options);
    response.cookies.delete({ name: CHECKOUT_NONCE_COOKIE, path: "/subscribe/return" });
  }
  return response;
}

// The address typed at Checkout already had an account: the payment went to it, but proves
// nothing about who is at this browser, so the owner signs in through their email.
function linkSentPage(result: Extract<CheckoutReturn, { kind: "link-sent" }>): Response {
  return simplePage(
    200,
    "You're subscribed",
    html`<h1>You're subscribed</h1>
<p>This email address already has an account, so the subscription was added to it. We sent a sign-in link to <strong data-testid="masked-email">${result.maskedEmail}</strong>: open it to start reading.</p>
${result.alreadySubscribed ? html`<p data-testid="already-subscribed">That account already had a subscription, so this new one will not renew (or, if it was a free trial, has been canceled). We emailed the details; you will not be charged for two.</p>` : ""}
<p><a href="${result.returnPath}">Back to what you were reading</a></p>`,
  );
}

function unknownCheckout(): Response {
  return simplePage(404, "Unknown checkout", html`<h1>We could not find that checkout</h1><p>If you were charged, your subscription is safe: sign in with the email you paid with.</p><p><a class="button" href="/signin">Sign in</a></p>`);
}
