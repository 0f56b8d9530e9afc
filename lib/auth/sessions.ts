import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { sessions } from "@/db/schema";

/** Signs a user out everywhere: every session of theirs, on every device, ends now. */
export async function deleteAllSessions(userId: string): Promise<number> {
  const db = await getDb();
  const deleted = await db.delete(sessions).where(eq(sessions.userId, userId)).returning({ token: sessions.sessionToken });
  return deleted.length;
}
