import "server-only";
import { and, eq, inArray, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { newsletterSubscriptions, users } from "@/db/schema";
import { recordConversion } from "@/lib/analytics/attribution";
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
  const { email, newsletterIds, touch } = check.confirmation;
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
    const ids = lists.map((n) => n.id);
    const already = ids.length === 0 ? [] : await tx
      .select({ id: newsletterSubscriptions.newsletterId })
      .from(newsletterSubscriptions)
      .where(and(eq(newsletterSubscriptions.userId, user.id), inArray(newsletterSubscriptions.newsletterId, ids), isNull(newsletterSubscriptions.unsubscribedAt)));
    await subscribe(tx, user.id, ids, now);
    // A sign-up, credited once: a repeated confirmation (or one for lists already joined) is none.
    if (already.length < ids.length) await recordConversion(tx, "newsletter_signup", { touch, userId: user.id }, now);
    return { userId: user.id, newlyProven: proven.length > 0 };
  });
  // As at sign-in: the first proof of an address ends sessions started before it (by a checkout).
  if (newlyProven) await deleteAllSessions(userId);
  return { ok: true, userId, newsletterNames: lists.map((n) => n.name) };
}
