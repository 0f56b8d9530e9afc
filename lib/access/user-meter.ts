import "server-only";
import { eq, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { userMeters } from "@/db/schema";
import type { AccessDecision } from "./decide-access";
import { announceChange } from "@/lib/cache/invalidation";
import { currentWindow, MAX_METER_IDS, type MeterState } from "./meter";

function toState(row: { windowStart: number; articleIds: number[] } | undefined): MeterState | null {
  return row ? { windowStart: row.windowStart, articleIds: row.articleIds } : null;
}

/** A registered reader's meter, the same on every device. */
export async function loadUserMeter(db: Db, userId: string): Promise<MeterState | null> {
  const [row] = await db.select().from(userMeters).where(eq(userMeters.userId, userId));
  return toState(row);
}

/**
 * Decides with the user's meter locked, and saves the meter the decision spent, in one
 * transaction: two tabs opening two articles at once cannot both take the last credit.
 */
export async function decideWithUserMeter(
  db: Db,
  userId: string,
  decide: (meter: MeterState | null) => AccessDecision,
): Promise<AccessDecision> {
  return db.transaction(async (tx) => {
    const decision = decide(await lockUserMeter(tx, userId));
    if (decision.reason === "counted") {
      await saveUserMeter(tx, userId, decision.meterAfter);
      await announceChange(tx, "readers", userId);
    }
    return decision;
  });
}

/**
 * Locks the user's meter row until the transaction ends, creating it first: `FOR UPDATE` on a
 * row that does not exist locks nothing, and every concurrent first read would then spend the
 * same credit. A created row starts at window 0, an ended window that counts as none.
 */
async function lockUserMeter(tx: Tx, userId: string): Promise<MeterState> {
  await tx.insert(userMeters).values({ userId, windowStart: 0 }).onConflictDoNothing();
  const [row] = await tx.select().from(userMeters).where(eq(userMeters.userId, userId)).for("update");
  return toState(row)!;
}

/**
 * Stores a meter, merged with the stored one when both are the same window (articles already
 * counted stay counted, newest last); a new window replaces the old one.
 */
async function saveUserMeter(db: Db, userId: string, meter: MeterState): Promise<void> {
  const articleIds = meter.articleIds.slice(-MAX_METER_IDS);
  const merged = sql`array(select id from unnest(user_meters.article_ids) as id where id <> all(excluded.article_ids)) || excluded.article_ids`;
  await db
    .insert(userMeters)
    .values({ userId, windowStart: meter.windowStart, articleIds })
    .onConflictDoUpdate({
      target: userMeters.userId,
      set: {
        windowStart: meter.windowStart,
        articleIds: sql`case when user_meters.window_start = excluded.window_start
          then (select m[greatest(cardinality(m) - ${MAX_METER_IDS - 1}, 1):] from (select ${merged} as m) as merged)
          else excluded.article_ids end`,
        updatedAt: sql`now()`,
      },
    });
}

/**
 * On sign-in, the articles this device already opened in its current window count toward the
 * account's meter, each once.
 */
export async function mergeDeviceMeter(db: Db, userId: string, device: MeterState | null, now: Date, windowDays: number): Promise<void> {
  if (!device) return;
  const deviceWindow = currentWindow(device, now, windowDays);
  if (deviceWindow.articleIds.length === 0) return;
  await db.transaction(async (tx) => {
    const stored = await lockUserMeter(tx, userId);
    const account = currentWindow(stored, now, windowDays);
    const windowStart = account.windowStart === stored.windowStart ? account.windowStart : deviceWindow.windowStart;
    const articleIds = [...new Set([...account.articleIds, ...deviceWindow.articleIds])];
    await saveUserMeter(tx, userId, { windowStart, articleIds });
    await announceChange(tx, "readers", userId);
  });
}
