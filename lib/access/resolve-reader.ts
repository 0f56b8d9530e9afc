import "server-only";
import { getDb } from "@/db/client";
import { ttlCache } from "@/lib/cache/ttl-cache";
import { env } from "@/lib/env";
import { sessionTokenFrom } from "@/lib/http/cookies";
import type { Licence } from "./licence";
import type { MeterState } from "./meter";
import { ANONYMOUS, type Reader } from "./reader";
import { loadSessionReaderFacts, readerFrom, type SessionReaderFacts } from "./reader-record";

type CookieJar = { get(name: string): { value: string } | undefined };

/**
 * Signed-in readers' facts (user, subscriptions, grants, server meter) by session token, so a
 * subscriber's next pages skip the database. Whatever changes a reader (a webhook, a grant, a
 * checkout, a counted read, signing out) announces "readers" with their user id in its
 * transaction; every instance forgets that reader's sessions when it commits. An unknown token
 * (null) stays unknown: tokens are random, and a new session gets a new one.
 */
const factsByToken = ttlCache<string, SessionReaderFacts | null>("readers", {
  maxEntries: 20_000,
  maxBytes: 16 * 1_048_576,
  expiresAt: (f) => f?.sessionExpires.getTime() ?? null,
  forgetOn: {
    // A family payer's change (their subscription, a member removed) forgets the members' facts too.
    readers: (userId, _token, f) => f?.userId === userId || (f?.families.some((s) => s.payerUserId === userId) ?? false),
    // An organisation's name or term changed: its members' facts carry the old ones.
    organisations: (organisationId, _token, f) => f?.licences.some((l) => String(l.organisationId) === organisationId) ?? false,
  },
});

/**
 * Who is reading, from credentials we can verify: a database session looked up by its token,
 * with the user's entitlement and server-side meter (cached, forgotten on any change).
 * No header or unsigned cookie can make a reader more than anonymous.
 */
export async function resolveReader(cookies: CookieJar, now = new Date()): Promise<ResolvedReader> {
  const token = sessionTokenFrom(cookies);
  if (!token) return { reader: ANONYMOUS, serverMeter: null, licences: [] };
  const facts = await factsByToken.get(token, async () => loadSessionReaderFacts(await getDb(), token, now));
  if (!facts || facts.sessionExpires <= now) return { reader: ANONYMOUS, serverMeter: null, licences: [] };
  return { reader: readerFrom(facts, now, env().BILLING_GRACE_DAYS), serverMeter: facts.meter, licences: facts.licences };
}

export interface ResolvedReader {
  reader: Reader;
  serverMeter: MeterState | null;
  /** The licences of the organisations whose seats the reader holds (terms not yet judged). */
  licences: Licence[];
}
