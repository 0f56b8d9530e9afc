import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { sessionTokenFrom } from "@/lib/http/cookies";
import { userForSessionToken } from "@/lib/auth/session-user";
import { createPortalUrl, NoCustomerError } from "@/lib/billing/portal";
import { allowPortalSession } from "@/lib/billing/portal-limit";
import { env } from "@/lib/env";
import { limitedFormData } from "@/lib/http/limited-body";
import { tooManyPortalSessions } from "./too-many";

const formSchema = z.object({ subscription: z.string().regex(/^sub_[A-Za-z0-9_]{1,200}$/).optional() });

// Signed-in readers only; the customer is theirs from our database (the form only names which of
// their own subscriptions), never from the request. Each session is a Stripe call: limited per reader.
export async function POST(request: NextRequest) {
  const { SITE_URL, FORM_BODY_LIMIT_BYTES } = env();
  const data = await limitedFormData(request, FORM_BODY_LIMIT_BYTES);
  if (data instanceof Response) return data;
  const token = sessionTokenFrom(request.cookies);
  const user = token ? await userForSessionToken(token) : null;
  if (!user) return NextResponse.redirect(new URL("/signin?callbackUrl=%2Faccount", SITE_URL), 303);
  const form = formSchema.safeParse(Object.fromEntries(data));
  if (!form.success) return NextResponse.redirect(new URL("/account?billing=invalid", SITE_URL), 303);
  const limit = await allowPortalSession(await getDb(), user.id);
  if (!limit.allowed) return tooManyPortalSessions(limit.retryAfterSeconds);
  try {
    return NextResponse.redirect(await createPortalUrl(await getDb(), user.id, `${SITE_URL}/account/billing-return`, form.data.subscription), 303);
  } catch (error) {
    if (error instanceof NoCustomerError) return NextResponse.redirect(new URL("/subscribe", SITE_URL), 303);
    throw error;
  }
}
