import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { sessionTokenFrom } from "@/lib/http/cookies";
import { userForSessionToken } from "@/lib/auth/session-user";
import { createPortalUrl, NoCustomerError } from "@/lib/billing/portal";
import { env } from "@/lib/env";

const query = z.object({ subscription: z.string().regex(/^sub_[A-Za-z0-9_]{1,200}$/).optional() });

// The link in the payment-failed email: the portal session is made now, when it is used, for the
// signed-in reader's own subscription (never from the link alone); others sign in first.
export async function GET(request: NextRequest) {
  const { SITE_URL } = env();
  const parsed = query.safeParse(Object.fromEntries(request.nextUrl.searchParams));
  const subscription = parsed.success ? parsed.data.subscription : undefined;
  const token = sessionTokenFrom(request.cookies);
  const user = token ? await userForSessionToken(token) : null;
  if (!user) {
    const back = `/account/update-card${subscription ? `?subscription=${subscription}` : ""}`;
    return NextResponse.redirect(new URL(`/signin?callbackUrl=${encodeURIComponent(back)}`, SITE_URL), 303);
  }
  try {
    return NextResponse.redirect(await createPortalUrl(await getDb(), user.id, `${SITE_URL}/account/billing-return`, subscription), 303);
  } catch (error) {
    if (error instanceof NoCustomerError) return NextResponse.redirect(new URL("/account?billing=invalid", SITE_URL), 303);
    throw error;
  }
}
