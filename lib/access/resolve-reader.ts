import { getDb } from "@/db/client";
import { sessionTokenFrom } from "@/lib/auth/session-cookie";
import { userForSessionToken } from "@/lib/auth/session-user";
import { loadEntitlement } from "@/lib/billing/user-entitlement";
import { ANONYMOUS, type Reader } from "./reader";

type CookieJar = { get(name: string): { value: string } | undefined };

/**
 * Who is reading, from credentials we can verify: a database session looked up by its token,
 * with the user's entitlement read fresh (a webhook's change shows on the next request).
 * No header or unsigned cookie can make a reader more than anonymous.
 */
export async function resolveReader(cookies: CookieJar, now = new Date()): Promise<Reader> {
  const token = sessionTokenFrom(cookies);
  if (!token) return ANONYMOUS;
  const user = await userForSessionToken(token, now);
  if (!user) return ANONYMOUS;
  return { kind: "user", userId: user.id, entitlement: await loadEntitlement(await getDb(), user.id, now) };
}
