import "server-only";
import { cookies } from "next/headers";
import { and, eq, isNull } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { readMeterCookie } from "@/lib/access/meter-cookie";
import { mergeDeviceMeter } from "@/lib/access/user-meter";
import { env } from "@/lib/env";
import { getReadingSettings } from "@/lib/settings";
import { readReaderId } from "@/lib/experiments/reader-key";
import { announceChange } from "@/lib/cache/invalidation";

/**
 * After every sign-in: a verified OAuth identity proves the address; ADMIN_EMAILS makes admins of
 * proven addresses only; the articles this device opened while anonymous count toward the
 * account's meter (once each); and the account keeps this browser's reader id, the first time,
 * so a reader in an experiment stays in the variant they had before signing in.
 */
export async function onSignedIn(userId: string, proof: { oauthEmailVerified: boolean } = { oauthEmailVerified: false }): Promise<void> {
  const db = await getDb();
  if (proof.oauthEmailVerified) {
    await db.update(users).set({ emailVerified: new Date() }).where(and(eq(users.id, userId), isNull(users.emailVerified)));
  }
  const [user] = await db.select({ email: users.email, role: users.role, emailVerified: users.emailVerified }).from(users).where(eq(users.id, userId));
  if (user?.email && user.emailVerified && user.role !== "admin" && env().ADMIN_EMAILS.includes(user.email)) {
    await db.update(users).set({ role: "admin" }).where(eq(users.id, userId));
  }
  const { policy } = await getReadingSettings();
  await mergeDeviceMeter(db, userId, await deviceMeter(), new Date(), policy.windowDays);
  const browserId = await deviceReaderId();
  if (browserId) {
    await db.transaction(async (tx) => {
      const kept = await tx.update(users).set({ experimentKey: browserId }).where(and(eq(users.id, userId), isNull(users.experimentKey))).returning({ id: users.id });
      // A session's cached facts read before this know no key: they are forgotten.
      if (kept.length > 0) await announceChange(tx, "readers", userId);
    });
  }
}

/** The signing-in browser's signed reader id; none outside a request. */
async function deviceReaderId() {
  try {
    return readReaderId(await cookies());
  } catch {
    return null;
  }
}

/** The signing-in browser's anonymous meter; none when called outside a request (tools, tests). */
async function deviceMeter() {
  try {
    return readMeterCookie(await cookies());
  } catch {
    return null;
  }
}
