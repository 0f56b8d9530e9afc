import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { sessionTokenFrom } from "@/lib/http/cookies";
import { userForSessionToken } from "@/lib/auth/session-user";
import { createPortalUrl, NoCustomerError } from "@/lib/billing/portal";
import { allowPortalSession } from "@/lib/billing/portal-limit";
import { env } from "@/lib/env";
import { simplePage } from "@/lib/http/html-response";
import { limitedFormData } from "@/lib/http/limited-body";
import { html } from "@/lib/ui/html";
import { tooManyPortalSessions } from "../billing-portal/too-many";

const subscriptionSchema = z.object({ subscription: z.string().regex(/^sub_[A-Za-z0-9_]{1,200}$/).optional() });

async function signedInUser(request: NextRequest) {
  const token = sessionTokenFrom(request.cookies);
  return token ? userForSessionToken(token) : null;
}

// The link in the payment-failed email. Opening it (a GET any site or mail scanner can make)
// creates nothing: it shows a button that POSTs here, and only that makes the portal session,
// for the signed-in reader's own subscription (never from the link alone); others sign in first.
export async function GET(request: NextRequest) {
  const parsed = subscriptionSchema.safeParse(Object.fromEntries(request.nextUrl.searchParams));
  const subscription = parsed.success ? parsed.data.subscription : undefined;
  const user = await signedInUser(request);
  if (!user) {
    const back = `/account/update-card${subscription ? `?subscription=${subscription}` : ""}`;
    return NextResponse.redirect(new URL(`/signin?callbackUrl=${encodeURIComponent(back)}`, env().SITE_URL), 303);
  }
  return simplePage(
    200,
    "Update your card",
    html`<h1>Update your card</h1><p>Your card details are kept by our payment provider, Stripe. The button opens its secure page for your subscription.</p>
<form method="post" action="/account/update-card">${subscription ? html`<input type="hidden" name="subscription" value="${subscription}">` : ""}<button class="button" type="submit">Update your card</button></form>
<p><a href="/account">Back to your account</a></p>`,
  );
}

export async function POST(request: NextRequest) {
  const { SITE_URL, FORM_BODY_LIMIT_BYTES } = env();
  const data = await limitedFormData(request, FORM_BODY_LIMIT_BYTES);
  if (data instanceof Response) return data;
  const user = await signedInUser(request);
  if (!user) return NextResponse.redirect(new URL(`/signin?callbackUrl=${encodeURIComponent("/account")}`, SITE_URL), 303);
  const form = subscriptionSchema.safeParse(Object.fromEntries(data));
  if (!form.success) return NextResponse.redirect(new URL("/account?billing=invalid", SITE_URL), 303);
  const limit = await allowPortalSession(await getDb(), user.id);
  if (!limit.allowed) return tooManyPortalSessions(limit.retryAfterSeconds);
  try {
    return NextResponse.redirect(await createPortalUrl(await getDb(), user.id, `${SITE_URL}/account/billing-return`, form.data.subscription), 303);
  } catch (error) {
    if (error instanceof NoCustomerError) return NextResponse.redirect(new URL("/account?billing=invalid", SITE_URL), 303);
    throw error;
  }
}
