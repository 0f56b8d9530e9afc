import "server-only";
import { createHash } from "node:crypto";
import { and, count, eq, gt, inArray, lt, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { rateLimitHits } from "@/db/schema";

/** No limit looks back further than this, so older hits of any key are pruned. */
export const LONGEST_WINDOW_MS = 24 * 3_600_000;
/** Every this many hits (by row id, so across all instances), one prune runs. */
const PRUNE_EVERY = 100;
/** A prune looks at no more than this many of the oldest rows, so it stays cheap. */
const PRUNE_BATCH = 1_000;

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
  if (windowMs > LONGEST_WINDOW_MS) throw new RangeError(`A rate-limit window may not exceed ${LONGEST_WINDOW_MS} ms`);
  const since = new Date(now.getTime() - windowMs);
  const result = await db.transaction(async (tx) => {
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
    const [hit] = await tx.insert(rateLimitHits).values({ key, at: now }).returning({ id: rateLimitHits.id });
    // Old hits are useless; clear this key's as we go so a busy key stays small.
    await tx.delete(rateLimitHits).where(and(eq(rateLimitHits.key, key), lt(rateLimitHits.at, since)));
    return { allowed: true, retryAfterSeconds: 0, prune: hit!.id % PRUNE_EVERY === 0 };
  });
  // Keys that are never hit again are cleared by the global prune, outside the key's lock.
  if (result.prune) await pruneRateLimitHits(db, now).catch((error: unknown) => console.error("Pruning rate-limit hits failed:", error));
  return { allowed: result.allowed, retryAfterSeconds: result.retryAfterSeconds };
}

/**
 * Several limits on one action (per address, per client…), checked in order: the first that
 * refuses answers, and the ones after it are not counted.
 */
export async function hitRateLimits(db: Db, checks: Array<{ key: string; limit: number }>, windowMs: number): Promise<RateLimitResult> {
  for (const check of checks) {
    const result = await hitRateLimit(db, check.key, check.limit, windowMs);
    if (!result.allowed) return result;
  }
  return { allowed: true, retryAfterSeconds: 0 };
}

/**
 * Deletes hits older than the longest window, of every key, among the PRUNE_BATCH oldest rows.
 * Rows are inserted with the time of the hit, so the lowest ids are the oldest: the scan of the
 * primary key stops after one batch however large the table is.
 */
export async function pruneRateLimitHits(db: Db, now = new Date()): Promise<void> {
  const oldest = db.select({ id: rateLimitHits.id }).from(rateLimitHits).orderBy(rateLimitHits.id).limit(PRUNE_BATCH);
  await db.delete(rateLimitHits).where(and(inArray(rateLimitHits.id, oldest), lt(rateLimitHits.at, new Date(now.getTime() - LONGEST_WINDOW_MS))));
}
