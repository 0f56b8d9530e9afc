import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { sessionTokenFrom } from "@/lib/auth/session-cookie";
import { userForSessionToken } from "@/lib/auth/session-user";
import { createPortalUrl, NoCustomerError } from "@/lib/billing/portal";
import { env } from "@/lib/env";
import { limitedBody } from "@/lib/http/limited-body";

// Signed-in readers only; the customer is theirs from our database, never from the request.
export async function POST(request: NextRequest) {
  const { SITE_URL, FORM_BODY_LIMIT_BYTES } = env();
  // The form carries nothing we use; an oversized one is still refused rather than drained.
  const body = await limitedBody(request, FORM_BODY_LIMIT_BYTES);
  if (body instanceof Response) return body;
  const token = sessionTokenFrom(request.cookies);
  const user = token ? await userForSessionToken(token) : null;
  if (!user) return NextResponse.redirect(new URL("/signin?callbackUrl=%2Faccount", SITE_URL), 303);
  try {
    return NextResponse.redirect(await createPortalUrl(await getDb(), user.id, `${SITE_URL}/account/billing-return`), 303);
  } catch (error) {
    if (error instanceof NoCustomerError) return NextResponse.redirect(new URL("/subscribe", SITE_URL), 303);
    throw error;
  }
}
