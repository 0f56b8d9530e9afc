import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { sessionTokenFrom } from "@/lib/http/cookies";
import { userForSessionToken } from "@/lib/auth/session-user";
import { env } from "@/lib/env";
import { revokeOwnGift } from "@/lib/gifts/revoke-gift";
import { isSameSite } from "@/lib/http/same-site";
import { simplePage } from "@/lib/http/html-response";
import { limitedFormData } from "@/lib/http/limited-body";
import { html } from "@/lib/ui/html";

const formSchema = z.object({ gift: z.coerce.number<unknown>().int().positive() });

// The gifter revokes their own gift: the next open, on any instance, gets the normal decision.
export async function POST(request: NextRequest) {
  if (!isSameSite(request)) return simplePage(403, "Not allowed", html`<h1>Not allowed</h1><p>Gifts can only be revoked from this site.</p>`);
  const token = sessionTokenFrom(request.cookies);
  const user = token ? await userForSessionToken(token) : null;
  if (!user) return NextResponse.redirect(new URL("/signin?callbackUrl=%2Faccount%2Fgifts", env().SITE_URL), 303);
  const body = await limitedFormData(request, env().FORM_BODY_LIMIT_BYTES);
  if (body instanceof Response) return body;
  const form = formSchema.safeParse(Object.fromEntries(body));
  if (!form.success) return simplePage(400, "No such gift", html`<h1>No such gift</h1><p><a href="/account/gifts">Your gifts</a></p>`);
  // Only the gifter's own gift matches; anyone else's id changes nothing.
  await revokeOwnGift(await getDb(), user.id, form.data.gift);
  return NextResponse.redirect(new URL("/account/gifts?revoked=1", env().SITE_URL), 303);
}
