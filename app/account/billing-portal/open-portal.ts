import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { userForSessionToken } from "@/lib/auth/session-user";
import { createPortalUrl, NoCustomerError } from "@/lib/billing/portal";
import { allowPortalSession } from "@/lib/billing/portal-limit";
import { env } from "@/lib/env";
import { sessionTokenFrom } from "@/lib/http/cookies";
import { limitedFormData } from "@/lib/http/limited-body";
import { tooManyPortalSessions } from "./too-many";

/** Which of the reader's own subscriptions the portal opens on (optional: all of them). */
export const portalSubscriptionSchema = z.object({ subscription: z.string().regex(/^sub_[A-Za-z0-9_]{1,200}$/).optional() });

/** The reader the request's session cookie belongs to, or null. */
export async function signedInReader(request: NextRequest) {
  const token = sessionTokenFrom(request.cookies);
  return token ? userForSessionToken(token) : null;
}

/**
 * A form post that opens the Stripe billing portal for the signed-in reader. The customer is
 * theirs from our database (the form only names which of their own subscriptions), never from
 * the request; each session is a Stripe call, so it is limited per reader. A reader Stripe has no
 * customer for goes to `noCustomerPath`.
 */
export async function openPortal(request: NextRequest, noCustomerPath: string): Promise<Response> {
  const { SITE_URL, FORM_BODY_LIMIT_BYTES } = env();
  const data = await limitedFormData(request, FORM_BODY_LIMIT_BYTES);
  if (data instanceof Response) return data;
  const user = await signedInReader(request);
  if (!user) return NextResponse.redirect(new URL("/signin?callbackUrl=%2Faccount", SITE_URL), 303);
  const form = portalSubscriptionSchema.safeParse(Object.fromEntries(data));
  if (!form.success) return NextResponse.redirect(new URL("/account?billing=invalid", SITE_URL), 303);
  const limit = await allowPortalSession(await getDb(), user.id);
  if (!limit.allowed) return tooManyPortalSessions(limit.retryAfterSeconds);
  try {
    return NextResponse.redirect(await createPortalUrl(await getDb(), user.id, `${SITE_URL}/account/billing-return`, form.data.subscription), 303);
  } catch (error) {
    if (error instanceof NoCustomerError) return NextResponse.redirect(new URL(noCustomerPath, SITE_URL), 303);
    throw error;
  }
}
