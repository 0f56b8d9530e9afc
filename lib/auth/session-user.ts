import "server-only";
import { and, eq, gt } from "drizzle-orm";
import { getDb } from "@/db/client";
import { sessions, users, type User } from "@/db/schema";

export type SessionUser = Pick<User, "id" | "email" | "emailVerified" | "role" | "createdAt" | "name">;

/** The signed-in user for a database session token, or null when it is unknown or expired. */
export async function userForSessionToken(token: string, now = new Date()): Promise<SessionUser | null> {
  const db = await getDb();
  const [row] = await db
    .select({ id: users.id, email: users.email, emailVerified: users.emailVerified, role: users.role, createdAt: users.createdAt, name: users.name })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.sessionToken, token), gt(sessions.expires, now)))
    .limit(1);
  return row ?? null;
}
