import { getDb } from "@/db/client";
import { sessionTokenFrom } from "@/lib/http/session-cookie";
import { env } from "@/lib/env";
import type { MeterState } from "./meter";
import { ANONYMOUS, type Reader } from "./reader";
import { cachedReaderFacts } from "./reader-cache";
import { loadSessionReaderFacts, readerFrom } from "./reader-record";

type CookieJar = { get(name: string): { value: string } | undefined };

/**
 * Who is reading, from credentials we can verify: a database session looked up by its token,
 * with the user's entitlement and server-side meter (cached briefly, forgotten on any change).
 * No header or unsigned cookie can make a reader more than anonymous.
 */
export async function resolveReader(cookies: CookieJar, now = new Date()): Promise<{ reader: Reader; serverMeter: MeterState | null }> {
  const token = sessionTokenFrom(cookies);
  if (!token) return { reader: ANONYMOUS, serverMeter: null };
  const facts = await cachedReaderFacts(token, async () => loadSessionReaderFacts(await getDb(), token, now));
  if (!facts || facts.sessionExpires <= now) return { reader: ANONYMOUS, serverMeter: null };
  return { reader: readerFrom(facts, now, env().BILLING_GRACE_DAYS), serverMeter: facts.meter };
}
