import "server-only";
import { and, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { announceChange } from "@/lib/cache/invalidation";
import { sessions } from "@/db/schema";

/** Signs a user out everywhere: every session of theirs, on every device, ends now. */
export async function deleteAllSessions(userId: string): Promise<number> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const deleted = await tx.delete(sessions).where(eq(sessions.userId, userId)).returning({ token: sessions.sessionToken });
    await announceChange(tx, "readers", userId);
    return deleted.length;
  });
}

/** Signs this device out: its session row ends now (anyone else's token changes nothing). */
export async function deleteSession(userId: string, sessionToken: string): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    await tx.delete(sessions).where(and(eq(sessions.userId, userId), eq(sessions.sessionToken, sessionToken)));
    await announceChange(tx, "readers", userId);
  });
}
