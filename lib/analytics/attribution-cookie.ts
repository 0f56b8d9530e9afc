import "server-only";
import { sign, verifyJson } from "@/lib/crypto/signed-value";
import { secureCookies, type CookieJar, type CookieWriter } from "@/lib/http/cookies";
import { keyFor } from "@/lib/server-secret";
import { touchSchema, TOUCH_WINDOW_DAYS, type Touch } from "./touch";

export const ATTRIBUTION_COOKIE = "mh_src";

/** The reader's touch if the cookie is ours and well formed; null for a missing, edited or foreign one. */
export function readTouch(cookies: CookieJar): Touch | null {
  const value = cookies.get(ATTRIBUTION_COOKIE)?.value;
  if (!value || value.length > 1_500) return null;
  return verifyJson(value, keyFor("attribution"), touchSchema);
}

export function encodeTouch(touch: Touch): string {
  return sign(JSON.stringify(touch), keyFor("attribution"));
}

export function writeTouch(cookies: CookieWriter, touch: Touch): void {
  cookies.set(ATTRIBUTION_COOKIE, encodeTouch(touch), {
    httpOnly: true,
    sameSite: "lax",
    secure: secureCookies(),
    path: "/",
    maxAge: TOUCH_WINDOW_DAYS * 86_400,
  });
}
