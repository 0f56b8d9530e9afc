import "server-only";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { newsletterSubscriptions, type Newsletter } from "@/db/schema";
import { announceChange } from "@/lib/cache/invalidation";
import { listActiveNewsletters } from "./catalog";
import { isEntitled } from "./recipient-access";

/** Puts a reader on lists (again): a renewed subscription counts from now, a current one keeps its date. */
export async function subscribe(db: Db, userId: string, newsletterIds: number[], now = new Date()): Promise<void> {
  if (newsletterIds.length === 0) return;
  await db
    .insert(newsletterSubscriptions)
    .values(newsletterIds.map((newsletterId) => ({ userId, newsletterId, subscribedAt: now })))
    .onConflictDoUpdate({
      target: [newsletterSubscriptions.userId, newsletterSubscriptions.newsletterId],
      set: {
        subscribedAt: sql`case when ${newsletterSubscriptions.unsubscribedAt} is null then ${newsletterSubscriptions.subscribedAt} else excluded.subscribed_at end`,
        unsubscribedAt: null,
      },
    });
  // The reader's cached facts say whether they take a newsletter (segment rules look at it).
  await announceChange(db, "readers", userId);
}

/**
 * A paying reader gets the newsletters their subscription includes (the paid-only lists). A list
 * they left before stays left: only lists they were never on are added.
 */
export async function enrolInPaidNewsletters(db: Db, userId: string, now = new Date()): Promise<void> {
  const paid = (await listActiveNewsletters(db)).filter((n) => n.audience === "paid");
  if (paid.length === 0) return;
  await db
    .insert(newsletterSubscriptions)
    .values(paid.map((n) => ({ userId, newsletterId: n.id, subscribedAt: now })))
    .onConflictDoNothing();
}

/** Takes a reader off one list, or off every list (`newsletterId` null). True when something changed. */
export async function unsubscribe(db: Db, userId: string, newsletterId: number | null, now = new Date()): Promise<boolean> {
  const which = newsletterId === null ? undefined : eq(newsletterSubscriptions.newsletterId, newsletterId);
  const changed = await db
    .update(newsletterSubscriptions)
    .set({ unsubscribedAt: now })
    .where(and(eq(newsletterSubscriptions.userId, userId), isNull(newsletterSubscriptions.unsubscribedAt), which))
    .returning({ id: newsletterSubscriptions.newsletterId });
  if (changed.length > 0) await announceChange(db, "readers", userId);
  return changed.length > 0;
}

export interface NewsletterChoice {
  newsletter: Newsletter;
  subscribed: boolean;
}

/**
 * The lists a reader may choose from, and which they are on: the active ones, paid-only ones
 * for a reader entitled now (or already on them, so they can leave).
 */
export async function newsletterChoices(db: Db, userId: string): Promise<NewsletterChoice[]> {
  const [active, current, entitled] = await Promise.all([
    listActiveNewsletters(db),
    db
      .select({ id: newsletterSubscriptions.newsletterId })
      .from(newsletterSubscriptions)
      .where(and(eq(newsletterSubscriptions.userId, userId), isNull(newsletterSubscriptions.unsubscribedAt))),
    isEntitled(db, userId),
  ]);
  const on = new Set(current.map((row) => row.id));
  return active
    .filter((n) => n.audience === "everyone" || entitled || on.has(n.id))
    .map((newsletter) => ({ newsletter, subscribed: on.has(newsletter.id) }));
}

/**
 * Sets a reader's lists to exactly `chosen` among those offered to them: the others offered are
 * left. Ids not offered (archived, paid-only for a free reader, unknown) change nothing.
 */
export async function setSubscriptions(db: Db, userId: string, chosen: number[]): Promise<void> {
  const offered = (await newsletterChoices(db, userId)).map((c) => c.newsletter.id);
  const keep = chosen.filter((id) => offered.includes(id));
  await db.transaction(async (tx) => {
    await subscribe(tx, userId, keep);
    const leave = offered.filter((id) => !keep.includes(id));
    if (leave.length === 0) return;
    await tx
      .update(newsletterSubscriptions)
      .set({ unsubscribedAt: new Date() })
      .where(
        and(
          eq(newsletterSubscriptions.userId, userId),
          isNull(newsletterSubscriptions.unsubscribedAt),
          inArray(newsletterSubscriptions.newsletterId, leave),
        ),
      );
  });
}
