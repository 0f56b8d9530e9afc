import "server-only";
import { cookies } from "next/headers";
import { and, eq, isNull } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { readMeterCookie } from "@/lib/access/meter-cookie";
import { mergeDeviceMeter } from "@/lib/access/user-meter";
import { env } from "@/lib/env";
import { getReadingSettings } from "@/lib/settings";

/**
 * After every sign-in: a verified OAuth identity proves the address; ADMIN_EMAILS makes admins of
 * proven addresses only; and the articles this device opened while anonymous count toward the
 * account's meter (once each).
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
}

/** The signing-in browser's anonymous meter; none when called outside a request (tools, tests). */
async function deviceMeter() {
  try {
    return readMeterCookie(await cookies());
  } catch {
    return null;
  }
}
