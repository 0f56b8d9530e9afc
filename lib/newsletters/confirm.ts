import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { users } from "@/db/schema";
import { deleteAllSessions } from "@/lib/auth/sessions";
import { loadPublicNewsletters } from "./catalog";
import { subscribe } from "./subscriptions";
import { readConfirmationToken } from "./signed-links";

export type ConfirmResult =
  | { ok: true; userId: string; newsletterNames: string[] }
  | { ok: false; reason: "invalid" | "expired" };

/**
 * Confirms a double opt-in (the POST from the confirmation page). The signed link proves the
 * reader holds the address, as a sign-in link does: the free account is found or created with
 * its email verified, and put on the chosen lists that are still public. Repeating it changes
 * nothing more.
 */
export async function confirmSignup(db: Db, token: string, now = new Date()): Promise<ConfirmResult> {
  const check = readConfirmationToken(token, now);
  if (!check.ok) return check;
  const { email, newsletterIds } = check.confirmation;
  const lists = (await loadPublicNewsletters(db)).filter((n) => newsletterIds.includes(n.id));
  const { userId, newlyProven } = await db.transaction(async (tx) => {
    await tx.insert(users).values({ email, emailVerified: now }).onConflictDoNothing({ target: users.email });
    const [user] = await tx.select({ id: users.id, emailVerified: users.emailVerified }).from(users).where(eq(users.email, email)).for("update");
    if (!user) throw new Error(`No account for ${email} after creating it`);
    const proven = await tx
      .update(users)
      .set({ emailVerified: now })
      .where(and(eq(users.id, user.id), isNull(users.emailVerified)))
      .returning({ id: users.id });
    await subscribe(tx, user.id, lists.map((n) => n.id), now);
    return { userId: user.id, newlyProven: proven.length > 0 };
  });
  // As at sign-in: the first proof of an address ends sessions started before it (by a checkout).
  if (newlyProven) await deleteAllSessions(userId);
  return { ok: true, userId, newsletterNames: lists.map((n) => n.name) };
}
