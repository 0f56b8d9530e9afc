import { getDb } from "@/db/client";
import { sessionTokenFrom } from "@/lib/auth/session-cookie";
import { env } from "@/lib/env";
import type { MeterState } from "./meter";
import { ANONYMOUS, type Reader } from "./reader";
import { readerForSession } from "./reader-record";

type CookieJar = { get(name: string): { value: string } | undefined };

/**
 * Who is reading, from credentials we can verify: a database session looked up by its token,
 * with the user's entitlement read fresh (a webhook's change shows on the next request) and
 * their server-side meter. No header or unsigned cookie can make a reader more than anonymous.
 */
export async function resolveReader(cookies: CookieJar, now = new Date()): Promise<{ reader: Reader; serverMeter: MeterState | null }> {
  const token = sessionTokenFrom(cookies);
  const found = token ? await readerForSession(await getDb(), token, now, env().BILLING_GRACE_DAYS) : null;
  return found ? { reader: found.reader, serverMeter: found.meter } : { reader: ANONYMOUS, serverMeter: null };
}
