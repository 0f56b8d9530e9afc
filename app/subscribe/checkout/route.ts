import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { safeCallbackPath } from "@/lib/auth/callback-path";
import { secureCookies, sessionTokenFrom } from "@/lib/http/cookies";
import { userForSessionToken } from "@/lib/auth/session-user";
import { clientAddress } from "@/lib/http/client-address";
import { CHECKOUT_NONCE_COOKIE, PlanUnavailableError, startCheckout } from "@/lib/billing/checkout";
import { discountRefusal } from "@/lib/billing/checkout-errors";
import { allowCheckoutStart, CHECKOUT_BROWSER_COOKIE, checkoutBrowser } from "@/lib/billing/checkout-limit";
import { readTouch } from "@/lib/analytics/attribution-cookie";
import { env } from "@/lib/env";
import { simplePage } from "@/lib/http/html-response";
import { limitedFormData } from "@/lib/http/limited-body";
import { offerForCheckout } from "@/lib/offers/public-offer";
import { html } from "@/lib/ui/html";

const formSchema = z.object({
  plan: z.coerce.number().int().positive(),
  return: z.unknown().transform((v) => safeCallbackPath(v)),
  offer: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/).optional(),
});

// Public: anyone may start a checkout for an active plan. The caller's account (if any) comes from their session.
export async function POST(request: NextRequest) {
  const body = await limitedFormData(request, env().FORM_BODY_LIMIT_BYTES);
  if (body instanceof Response) return body;
  const form = formSchema.safeParse(Object.fromEntries(body));
  const back = (query: string) => NextResponse.redirect(new URL(`/subscribe?${query}`, env().SITE_URL), 303);
  if (!form.success) return back("error=plan");
  // Before anything reaches Stripe: each start costs a Stripe session and a row.
  const browser = checkoutBrowser(request.cookies.get(CHECKOUT_BROWSER_COOKIE)?.value);
  const limit = await allowCheckoutStart(await getDb(), clientAddress(request.headers), browser.id);
  if (!limit.allowed) return tooManyCheckouts(limit.retryAfterSeconds);
  const token = sessionTokenFrom(request.cookies);
  const user = token ? await userForSessionToken(token) : null;
  const code = form.data.offer;
  const offerPage = (reason: string) => NextResponse.redirect(new URL(`/offer/${code}?error=${reason}`, env().SITE_URL), 303);
  const offer = code ? await offerForCheckout(await getDb(), code, form.data.plan, user?.id ?? null) : null;
  if (offer && !offer.ok) return offerPage(offer.reason);
  try {
    const start = await startCheckout(await getDb(), { user, planId: form.data.plan, returnPath: form.data.return, offer: offer?.offer, touch: readTouch(request.cookies) });
    const response = NextResponse.redirect(start.url, 303);
    if (start.kind === "checkout") {
      response.cookies.set(CHECKOUT_NONCE_COOKIE, start.nonce, {
        httpOnly: true,
        sameSite: "lax",
        secure: secureCookies(),
        path: "/subscribe/return",
        maxAge: 24 * 3600,
      });
    }
    if (browser.newCookie) {
      response.cookies.set(CHECKOUT_BROWSER_COOKIE, browser.newCookie, {
        httpOnly: true,
        sameSite: "lax",
        secure: secureCookies(),
        path: "/subscribe/checkout",
        maxAge: 365 * 24 * 3600,
      });
    }
    return response;
  } catch (error) {
    if (error instanceof PlanUnavailableError) return back(`error=plan&return=${encodeURIComponent(form.data.return)}`);
    // Stripe's own check of the offer's coupon (redemptions, end date) or a promotion code's (first-time customers).
    const refusal = code ? discountRefusal(error) : null;
    if (refusal) return offerPage(refusal);
    console.error("Starting checkout failed:", error);
    return back(`error=unavailable&return=${encodeURIComponent(form.data.return)}`);
  }
}

function tooManyCheckouts(retryAfterSeconds: number): Response {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  const page = simplePage(
    429,
    "Please wait a little",
    html`<h1>Please wait a little</h1><p>Checkout was started many times from this browser or network in the last hour. Please try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.</p><p>If you already paid, your subscription is safe: <a href="/account">see your account</a>.</p>`,
  );
  page.headers.set("retry-after", String(retryAfterSeconds));
  return page;
}
