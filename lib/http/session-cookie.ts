import { z } from "zod";

// Auth.js names the cookie with the __Secure- prefix when the site runs on https.
const NAMES = ["__Secure-authjs.session-token", "authjs.session-token"] as const;
const tokenSchema = z.string().min(16).max(256);

type CookieJar = { get(name: string): { value: string } | undefined };

/** The database session token from the request's cookies, or null. Unverified until looked up. */
export function sessionTokenFrom(cookies: CookieJar): string | null {
  for (const name of NAMES) {
    const parsed = tokenSchema.safeParse(cookies.get(name)?.value);
    if (parsed.success) return parsed.data;
  }
  return null;
}
