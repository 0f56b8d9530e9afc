import "server-only";
import type { Db } from "@/db/client";
import { hitRateLimit, rateLimitKey } from "@/lib/http/rate-limit";
import { pullCustomersFromStripe } from "./pull-customers";

/** At most one pull per user in this window, however often the return URL is opened. */
export const PORTAL_RETURN_PULL_WINDOW_MS = 30_000;

/**
 * Back from the billing portal: refresh the user's billing from Stripe so the change shows at
 * once. The return URL is a GET that any site can link to (the portal's own return is a
 * cross-site navigation, so the request's origin cannot tell them apart), and a pull costs many
 * Stripe calls: so it runs at most once per user per window; within it the webhooks bring the
 * change. Returns whether it pulled.
 */
export async function pullAfterPortalReturn(db: Db, userId: string): Promise<boolean> {
  const slot = await hitRateLimit(db, rateLimitKey("portal-return-user", userId), 1, PORTAL_RETURN_PULL_WINDOW_MS);
  if (!slot.allowed) return false;
  await pullCustomersFromStripe(db, userId);
  return true;
}
