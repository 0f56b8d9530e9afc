import "server-only";
import { randomBytes } from "node:crypto";
import type { Db } from "@/db/client";
import { sign, verify } from "@/lib/crypto/signed-value";
import { env } from "@/lib/env";
import { hitRateLimits, rateLimitKey, type RateLimitResult } from "@/lib/http/rate-limit";
import { keyFor } from "@/lib/server-secret";

const HOUR = 3_600_000;

/** A random id per browser, signed by us, sent only to the checkout route. */
export const CHECKOUT_BROWSER_COOKIE = "mh_browser";

export interface CheckoutBrowser {
  id: string;
  /** The signed cookie to set when the request had no valid one (a new id), otherwise null. */
  newCookie: string | null;
}

/** The browser's id from our signed cookie; a missing or forged cookie gets a new id. */
export function checkoutBrowser(cookie: string | undefined): CheckoutBrowser {
  const key = keyFor("checkout-browser");
  const id = cookie && cookie.length <= 200 ? verify(cookie, key) : null;
  if (id) return { id, newCookie: null };
  const fresh = randomBytes(16).toString("base64url");
  return { id: fresh, newCookie: sign(fresh, key) };
}

/**
 * Whether this request may start a checkout (a Stripe session and a row): at most
 * CHECKOUT_LIMIT_PER_CLIENT per client address and CHECKOUT_LIMIT_PER_BROWSER per browser an
 * hour, counted in the database. A browser that drops its cookie gets a fresh id, so it is then
 * held by the per-address limit alone. The address is checked first: a request it refuses adds
 * no row for the browser.
 */
export async function allowCheckoutStart(db: Db, clientAddress: string | null, browserId: string): Promise<RateLimitResult> {
  const e = env();
  const checks = [{ key: rateLimitKey("checkout-browser", browserId), limit: e.CHECKOUT_LIMIT_PER_BROWSER }];
  if (clientAddress) checks.unshift({ key: rateLimitKey("checkout-client", clientAddress), limit: e.CHECKOUT_LIMIT_PER_CLIENT });
  return hitRateLimits(db, checks, HOUR);
}
