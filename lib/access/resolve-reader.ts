import { sessionTokenFrom } from "@/lib/auth/session-cookie";
import { userForSessionToken } from "@/lib/auth/session-user";
import { ANONYMOUS, type Reader } from "./reader";

type CookieJar = { get(name: string): { value: string } | undefined };

/**
 * Who is reading, from credentials we can verify: a database session looked up by its token.
 * No header or unsigned cookie can make a reader more than anonymous.
 */
export async function resolveReader(cookies: CookieJar, now = new Date()): Promise<Reader> {
  const token = sessionTokenFrom(cookies);
  if (!token) return ANONYMOUS;
  const user = await userForSessionToken(token, now);
  if (!user) return ANONYMOUS;
  // Entitlements (subscriptions, grants) arrive with billing.
  return { kind: "user", userId: user.id, entitlement: null };
}
