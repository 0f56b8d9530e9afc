import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { simplePage } from "@/lib/http/html-response";
import { html } from "@/lib/ui/html";
import { openPortal, portalSubscriptionSchema, signedInReader } from "../billing-portal/open-portal";

// The link in the payment-failed email. Opening it (a GET any site or mail scanner can make)
// creates nothing: it shows a button that POSTs here, and only that makes the portal session,
// for the signed-in reader's own subscription (never from the link alone); others sign in first.
export async function GET(request: NextRequest) {
  const parsed = portalSubscriptionSchema.safeParse(Object.fromEntries(request.nextUrl.searchParams));
  const subscription = parsed.success ? parsed.data.subscription : undefined;
  const user = await signedInReader(request);
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

// The button on the page above; a reader with no Stripe customer is told the request was invalid.
export async function POST(request: NextRequest) {
  return openPortal(request, "/account?billing=invalid");
}
