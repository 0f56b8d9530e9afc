import "server-only";
import type { Db } from "@/db/client";
import { hitRateLimit, rateLimitKey, type RateLimitResult } from "@/lib/http/rate-limit";

/** Portal sessions one reader may open in PORTAL_WINDOW_MS: plenty for a person, little for a script. */
export const PORTAL_SESSIONS_PER_WINDOW = 10;
export const PORTAL_WINDOW_MS = 3_600_000;

/**
 * Whether this reader may open another billing portal session (each one is a Stripe call, on
 * the publisher's rate limit): counted per reader in the database, so it holds across instances.
 * Checked before Stripe is asked; a refused request adds no hit.
 */
export function allowPortalSession(db: Db, userId: string): Promise<RateLimitResult> {
  return hitRateLimit(db, rateLimitKey("portal-user", userId), PORTAL_SESSIONS_PER_WINDOW, PORTAL_WINDOW_MS);
}
