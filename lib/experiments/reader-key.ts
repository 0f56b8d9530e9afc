import "server-only";
import { randomBytes } from "node:crypto";
import { sign, verify } from "@/lib/crypto/signed-value";
import { secureCookies } from "@/lib/http/cookies";
import { keyFor } from "@/lib/server-secret";

/**
 * The browser's reader id: random, signed under its own key, so a reader cannot choose one (and
 * with it a variant) by editing the cookie. Set on the first read while an experiment runs.
 */
export const READER_ID_COOKIE = "mh_rid";
const ID = /^[A-Za-z0-9_-]{22}$/;
// Browsers cap a cookie's life at 400 days.
const MAX_AGE_SECONDS = 400 * 86_400;

type CookieJar = { get(name: string): { value: string } | undefined };
type CookieWriter = { set(name: string, value: string, options: Record<string, unknown>): unknown };

/** The browser's verified reader id, or null for none, an edited or a foreign one. */
export function readReaderId(cookies: CookieJar): string | null {
  const value = cookies.get(READER_ID_COOKIE)?.value;
  if (!value || value.length > 100) return null;
  const id = verify(value, keyFor("reader-id"));
  return id !== null && ID.test(id) ? id : null;
}

export function newReaderId(): string {
  return randomBytes(16).toString("base64url");
}

export function writeReaderId(cookies: CookieWriter, id: string): void {
  cookies.set(READER_ID_COOKIE, sign(id, keyFor("reader-id")), { httpOnly: true, sameSite: "lax", secure: secureCookies(), path: "/", maxAge: MAX_AGE_SECONDS });
}

/**
 * What a reader is hashed on: a signed-in reader's key (the browser id they signed in with
 * first, else their user id), an anonymous reader's browser id. `fresh` says the browser id is
 * new and must be set on the response.
 */
export function readerKeyOf(cookies: CookieJar, user: { userId: string; experimentKey?: string | null } | null): { key: string; fresh: string | null } {
  if (user) return { key: user.experimentKey ?? user.userId, fresh: null };
  const kept = readReaderId(cookies);
  if (kept) return { key: kept, fresh: null };
  const fresh = newReaderId();
  return { key: fresh, fresh };
}
