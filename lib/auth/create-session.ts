import "server-only";
import { randomUUID } from "node:crypto";
import type { Db } from "@/db/client";
import { sessions } from "@/db/schema";
import { secureCookies } from "@/lib/http/cookies";

const MAX_AGE_SECONDS = 30 * 24 * 3600;

/**
 * Starts a database session exactly as Auth.js does (same table, cookie name and options), for
 * the one sign-in Auth.js does not handle: the browser that just paid at Checkout.
 */
export async function createSession(db: Db, userId: string): Promise<{ name: string; value: string; options: { httpOnly: true; sameSite: "lax"; path: "/"; secure: boolean; expires: Date } }> {
  const secure = secureCookies();
  const expires = new Date(Date.now() + MAX_AGE_SECONDS * 1000);
  const sessionToken = randomUUID();
  await db.insert(sessions).values({ sessionToken, userId, expires });
  return {
    name: secure ? "__Secure-authjs.session-token" : "authjs.session-token",
    value: sessionToken,
    options: { httpOnly: true, sameSite: "lax", path: "/", secure, expires },
  };
}
