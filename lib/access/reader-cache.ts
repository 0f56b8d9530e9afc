import { ttlCache } from "@/lib/cache/ttl-cache";
import type { SessionReaderFacts } from "./reader-record";

/**
 * Signed-in readers' facts (user, subscriptions, grants, server meter) by session token, so a
 * subscriber's next pages skip the database. Whatever changes a reader (a webhook, a grant, a
 * checkout, a counted read, signing out) announces "readers" with their user id in its
 * transaction; every instance forgets that reader's sessions when it commits. An unknown token
 * (null) stays unknown: tokens are random, and a new session gets a new one.
 */
const facts = ttlCache<string, SessionReaderFacts | null>("readers", {
  maxEntries: 20_000,
  expiresAt: (f) => f?.sessionExpires.getTime() ?? null,
  forgetOn: { readers: (userId, _token, f) => f?.userId === userId },
});

export function cachedReaderFacts(token: string, load: () => Promise<SessionReaderFacts | null>): Promise<SessionReaderFacts | null> {
  return facts.get(token, load);
}
