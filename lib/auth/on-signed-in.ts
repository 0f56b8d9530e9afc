import { cookies } from "next/headers";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { readMeterCookie } from "@/lib/access/reader-meter";
import { mergeDeviceMeter } from "@/lib/access/user-meter";
import { env } from "@/lib/env";
import { getReadingSettings } from "@/lib/settings";

/**
 * After every sign-in: ADMIN_EMAILS makes admins, and the articles this device opened while
 * anonymous count toward the account's meter (once each).
 */
export async function onSignedIn(userId: string): Promise<void> {
  const db = await getDb();
  const [user] = await db.select({ email: users.email, role: users.role }).from(users).where(eq(users.id, userId));
  if (user?.email && user.role !== "admin" && env().ADMIN_EMAILS.includes(user.email.toLowerCase())) {
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
