import "server-only";
import { createHash, randomBytes } from "node:crypto";
import type { Db } from "@/db/client";
import { verificationTokens } from "@/db/schema";
import { env } from "@/lib/env";
import { normalizeEmail } from "./email-address";
import { serverSecret } from "@/lib/server-secret";

/**
 * A sign-in link that Auth.js's email callback accepts (same token table and hashing), for
 * mail we send ourselves, such as the welcome email after checkout.
 */
export async function createMagicLink(db: Db, rawEmail: string, callbackPath: string, maxAgeSeconds: number): Promise<string> {
  const email = normalizeEmail(rawEmail);
  const token = randomBytes(32).toString("hex");
  await db.insert(verificationTokens).values({
    identifier: email,
    token: createHash("sha256").update(`${token}${serverSecret()}`).digest("hex"),
    expires: new Date(Date.now() + maxAgeSeconds * 1000),
  });
  const url = new URL("/signin/confirm", env().SITE_URL);
  url.search = new URLSearchParams({ token, email, callbackUrl: callbackPath }).toString();
  return url.toString();
}
