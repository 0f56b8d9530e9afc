import { z } from "zod";
import { env } from "@/lib/env";

/**
 * The one rule for every cookie we set: `Secure` when the site's public URL is https. Browsers
 * drop a Secure cookie set over plain http (localhost aside), and Auth.js decides its own
 * cookies' names and flags from the same URL.
 */
export function secureCookies(): boolean {
  return env().SITE_URL.startsWith("https://");
}

// Auth.js names the cookie with the __Secure- prefix when the site runs on https.
export const SESSION_COOKIE_NAMES = ["__Secure-authjs.session-token", "authjs.session-token"] as const;
const tokenSchema = z.string().min(16).max(256);

/** The cookies a request sent, as next/headers and NextRequest both give them. */
export type CookieJar = { get(name: string): { value: string } | undefined };
/** Where a response's cookies are set. */
export type CookieWriter = { set(name: string, value: string, options: Record<string, unknown>): unknown };

/** The database session token from the request's cookies, or null. Unverified until looked up. */
export function sessionTokenFrom(cookies: CookieJar): string | null {
  for (const name of SESSION_COOKIE_NAMES) {
    const parsed = tokenSchema.safeParse(cookies.get(name)?.value);
    if (parsed.success) return parsed.data;
  }
  return null;
}

/** The same token read from a request's Cookie header (for code that has a Request, not a cookie store). */
export function sessionTokenFromHeaders(headers: Headers): string | null {
  const jar = new Map<string, string>();
  for (const pair of (headers.get("cookie") ?? "").split(";")) {
    const at = pair.indexOf("=");
    if (at > 0) jar.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
  }
  return sessionTokenFrom({ get: (name) => (jar.has(name) ? { value: jar.get(name)! } : undefined) });
}
