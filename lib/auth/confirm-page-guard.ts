import { randomBytes, timingSafeEqual } from "node:crypto";
import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { secureCookies } from "@/lib/http/cookies";

/*
 * Login CSRF. The email callback signs in whoever holds the link's token, so a page on another
 * site could auto-submit an attacker's own token from a victim's browser and sign the victim
 * into the attacker's account (Auth.js checks CSRF on callbacks only for credentials). So the
 * callback accepts only a same-origin POST from our confirmation page:
 * - `Sec-Fetch-Site`, when sent, must be `same-origin`, and `Origin`, when sent, must be
 *   SITE_URL's origin. Every browser we support sends at least one of them on a form POST, and
 *   no page can forge them.
 * - A client that sends neither (an old browser) must echo a double-submit nonce: the proxy
 *   gives each confirmation page a fresh random nonce, in a SameSite=Strict cookie scoped to the
 *   callback and in the page's hidden field. Another site can neither read the field nor set the
 *   cookie. (A value we merely sign would not do: the attacker can open the confirmation page for
 *   their own link and copy it.)
 */

export const CONFIRM_PAGE = "/signin/confirm";
export const EMAIL_CALLBACK = "/api/auth/callback/nodemailer";
export const CONFIRM_NONCE_COOKIE = "mh_signin_nonce";
export const CONFIRM_NONCE_FIELD = "nonce";

/** Proxy: a fresh nonce for the confirmation page, set on the browser and visible to the page in this same request. */
export function withConfirmNonce(request: NextRequest): NextResponse {
  const nonce = randomBytes(24).toString("base64url");
  request.cookies.set(CONFIRM_NONCE_COOKIE, nonce);
  const response = NextResponse.next({ request: { headers: request.headers } });
  response.cookies.set(CONFIRM_NONCE_COOKIE, nonce, {
    httpOnly: true,
    sameSite: "strict",
    secure: secureCookies(),
    path: EMAIL_CALLBACK,
  });
  return response;
}

/** Whether a POST to the email callback comes from our confirmation page in this browser. */
export async function isFromConfirmPage(request: NextRequest): Promise<boolean> {
  const fetchSite = request.headers.get("sec-fetch-site");
  const origin = request.headers.get("origin");
  if (fetchSite !== null || origin !== null) {
    return (fetchSite === null || fetchSite === "same-origin") && (origin === null || origin === env().SITE_URL);
  }
  const cookie = request.cookies.get(CONFIRM_NONCE_COOKIE)?.value;
  if (!cookie) return false;
  const form = await request
    .clone()
    .formData()
    .catch(() => null);
  const field = form?.get(CONFIRM_NONCE_FIELD);
  return typeof field === "string" && field.length === cookie.length && timingSafeEqual(Buffer.from(field), Buffer.from(cookie));
}
