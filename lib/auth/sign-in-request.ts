import "server-only";
import { z } from "zod";
import { getDb } from "@/db/client";
import { env } from "@/lib/env";
import { safeCallbackPath } from "./callback-path";
import { hitRateLimits, rateLimitKey } from "@/lib/http/rate-limit";

const HOUR = 3_600_000;

export const signInFormSchema = z.object({
  email: z
    .string({ error: "Enter your email address." })
    .trim()
    .toLowerCase()
    .max(254, "That address is too long.")
    .pipe(z.email("Enter a valid email address, like name@example.com.")),
  callbackUrl: z.unknown().transform((v) => safeCallbackPath(v)),
});

export type SignInRequest = z.infer<typeof signInFormSchema>;

/**
 * Whether another sign-in link may be sent: at most SIGNIN_LIMIT_PER_EMAIL per address and
 * SIGNIN_LIMIT_PER_CLIENT per client address per hour, counted in the database so the limit
 * holds across instances. The answer never depends on whether the address has an account.
 */
export async function allowSignInRequest(email: string, clientAddress: string | null): Promise<{ allowed: boolean; retryAfterMinutes: number }> {
  const db = await getDb();
  const e = env();
  const checks = [{ key: rateLimitKey("signin-email", email), limit: e.SIGNIN_LIMIT_PER_EMAIL }];
  if (clientAddress) checks.push({ key: rateLimitKey("signin-client", clientAddress), limit: e.SIGNIN_LIMIT_PER_CLIENT });
  const result = await hitRateLimits(db, checks, HOUR);
  return { allowed: result.allowed, retryAfterMinutes: Math.ceil(result.retryAfterSeconds / 60) };
}
