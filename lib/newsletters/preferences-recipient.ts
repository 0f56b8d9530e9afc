import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { users } from "@/db/schema";
import { readPreferencesToken } from "./signed-links";

export interface PreferencesRecipient {
  id: string;
  email: string;
}

/** Whose preferences a signed link opens: null for a bad link or an account without an address. */
export async function recipientForPreferencesToken(db: Db, token: string): Promise<PreferencesRecipient | null> {
  const link = readPreferencesToken(token);
  if (!link) return null;
  const [user] = await db.select({ id: users.id, email: users.email }).from(users).where(eq(users.id, link.userId));
  return user?.email ? { id: user.id, email: user.email } : null;
}
