import "server-only";
import { sign, verify } from "@/lib/crypto/signed-value";
import { secureCookies } from "@/lib/http/cookies";
import { keyFor } from "@/lib/server-secret";
import { touchSchema, TOUCH_WINDOW_DAYS, type Touch } from "./touch";

export const ATTRIBUTION_COOKIE = "mh_src";

type CookieJar = { get(name: string): { value: string } | undefined };
type CookieWriter = { set(name: string, value: string, options: Record<string, unknown>): unknown };

/** The reader's touch if the cookie is ours and well formed; null for a missing, edited or foreign one. */
export function readTouch(cookies: CookieJar): Touch | null {
  const value = cookies.get(ATTRIBUTION_COOKIE)?.value;
  if (!value || value.length > 1_500) return null;
  const text = verify(value, keyFor("attribution"));
  if (text === null) return null;
  try {
    const parsed = touchSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
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
