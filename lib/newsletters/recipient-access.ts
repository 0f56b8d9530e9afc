import "server-only";
import { inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { grants, subscriptions } from "@/db/schema";
import type { Reader } from "@/lib/access/reader";
import { entitlementFor } from "@/lib/access/entitlement";
import { env } from "@/lib/env";

/**
 * Readers for many users at once (two queries per batch, not two per recipient): each with the
 * entitlement the reading path would give them now, from the same rules (`entitlementFor`), so
 * an email and a web page can never disagree about who may read what.
 */
export async function readersFor(db: Db, userIds: string[], now = new Date()): Promise<Map<string, Reader>> {
  const readers = new Map<string, Reader>();
  if (userIds.length === 0) return readers;
  const [subs, userGrants] = await Promise.all([
    db.select().from(subscriptions).where(inArray(subscriptions.userId, userIds)),
    db.select().from(grants).where(inArray(grants.userId, userIds)),
  ]);
  const graceDays = env().BILLING_GRACE_DAYS;
  for (const userId of userIds) {
    const entitlement = entitlementFor(
      subs.filter((s) => s.userId === userId),
      userGrants.filter((g) => g.userId === userId),
      now,
      graceDays,
    );
    readers.set(userId, { kind: "user", userId, entitlement });
  }
  return readers;
}

/** Whether one user may read everything now (a live subscription or grant). */
export async function isEntitled(db: Db, userId: string, now = new Date()): Promise<boolean> {
  const reader = (await readersFor(db, [userId], now)).get(userId);
  return reader?.kind === "user" && reader.entitlement !== null;
}
