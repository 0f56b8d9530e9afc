import "server-only";
import { ttlCache } from "@/lib/cache/ttl-cache";
import type { GiftCheck } from "./verify-gift";

/**
 * An anonymous recipient's gift cookie as the database last confirmed it, by gift, browser and
 * article, so their next pages skip the database. A revocation announces "gifts" with the gift's
 * id in its transaction (a site-wide one without an id); every instance forgets it at commit.
 * An entry ends when its gift expires.
 */
const checks = ttlCache<string, GiftCheck | null>("gift-checks", {
  maxEntries: 20_000,
  expiresAt: (check) => check?.verified.expiresAt?.getTime() ?? null,
  forgetOn: { gifts: (giftId, key) => key.startsWith(`${giftId}:`) },
});

export function cachedGiftCheck(giftId: number, browserHash: string, articleId: number, load: () => Promise<GiftCheck | null>): Promise<GiftCheck | null> {
  return checks.get(`${giftId}:${browserHash}:${articleId}`, load);
}
