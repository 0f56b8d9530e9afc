import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { sessionTokenFrom } from "@/lib/http/cookies";
import { userForSessionToken } from "@/lib/auth/session-user";
import { pullAfterPortalReturn } from "@/lib/billing/portal-return";
import { env } from "@/lib/env";

// Back from the billing portal: show the change at once rather than waiting for the webhook
// (throttled per user: a link from any site can open this URL).
export async function GET(request: NextRequest) {
  const token = sessionTokenFrom(request.cookies);
  const user = token ? await userForSessionToken(token) : null;
  if (user) await pullAfterPortalReturn(await getDb(), user.id).catch((error: unknown) => console.error("Portal return pull failed:", error));
  return NextResponse.redirect(new URL("/account", env().SITE_URL), 303);
}
