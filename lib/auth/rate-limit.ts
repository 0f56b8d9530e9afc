import { createHash } from "node:crypto";
import { and, count, eq, gt, lt, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { rateLimitHits } from "@/db/schema";

export interface RateLimitResult {
  allowed: boolean;
  /** Seconds until the oldest hit in the window expires, when not allowed. */
  retryAfterSeconds: number;
}

/** Keys are hashed: the table never holds an email address or a client address in clear. */
export function rateLimitKey(scope: string, value: string): string {
  return `${scope}:${createHash("sha256").update(value.trim().toLowerCase()).digest("base64url")}`;
}

/**
 * A sliding-window limit shared by every instance: at most `limit` hits per `windowMs`.
 * A transaction-level advisory lock on the key serialises concurrent checks of one key.
 */
export async function hitRateLimit(db: Db, key: string, limit: number, windowMs: number, now = new Date()): Promise<RateLimitResult> {
  const since = new Date(now.getTime() - windowMs);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${key}))`);
    const [{ n } = { n: 0 }] = await tx
      .select({ n: count() })
      .from(rateLimitHits)
      .where(and(eq(rateLimitHits.key, key), gt(rateLimitHits.at, since)));
    if (n >= limit) {
      const [oldest] = await tx
        .select({ at: rateLimitHits.at })
        .from(rateLimitHits)
        .where(and(eq(rateLimitHits.key, key), gt(rateLimitHits.at, since)))
        .orderBy(rateLimitHits.at)
        .limit(1);
      const retryAt = (oldest?.at.getTime() ?? now.getTime()) + windowMs;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((retryAt - now.getTime()) / 1000)) };
    }
    await tx.insert(rateLimitHits).values({ key, at: now });
    // Old hits are useless; clear them as we go so the table stays small.
    await tx.delete(rateLimitHits).where(and(eq(rateLimitHits.key, key), lt(rateLimitHits.at, since)));
    return { allowed: true, retryAfterSeconds: 0 };
  });
}
