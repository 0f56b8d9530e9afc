import "server-only";
import { and, asc, eq, gt, isNotNull, isNull } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { newsletterIssues, newsletterOutbox, newsletterSubscriptions, newsletters, users, type NewsletterSegment } from "@/db/schema";
import { IssueNotSendable, loadIssueContent } from "./issue-content";
import { readersFor } from "./recipient-access";

const BATCH = 1_000;

/**
 * Queues an issue: one outbox row per confirmed subscriber in its segment, all in the
 * transaction that moves the issue from draft to sending (a second click finds it sending and
 * queues nothing). A paid-only newsletter goes to entitled readers only, whatever the segment.
 * The sender picks the rows up; this returns how many there are.
 */
export async function queueIssue(db: Db, issueId: number, now = new Date()): Promise<number> {
  // Checked before anything is queued: an issue whose article is unpublished cannot go out.
  await loadIssueContent(db, issueId);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ state: newsletterIssues.state, segment: newsletterIssues.segment, newsletterId: newsletterIssues.newsletterId, audience: newsletters.audience, archivedAt: newsletters.archivedAt })
      .from(newsletterIssues)
      .innerJoin(newsletters, eq(newsletters.id, newsletterIssues.newsletterId))
      .where(eq(newsletterIssues.id, issueId))
      .for("update", { of: newsletterIssues });
    if (!row) throw new IssueNotSendable("There is no such issue.");
    if (row.state !== "draft") throw new IssueNotSendable("This issue has already been sent.");
    if (row.archivedAt) throw new IssueNotSendable("This newsletter is archived: restore it to send.");
    const segment: NewsletterSegment = row.audience === "paid" ? "paid" : row.segment;
    let queued = 0;
    for await (const chosen of recipientBatches(tx, row.newsletterId, segment, now)) {
      const inserted = await tx
        .insert(newsletterOutbox)
        .values(chosen.map((r) => ({ issueId, userId: r.userId, email: r.email! })))
        .onConflictDoNothing()
        .returning({ id: newsletterOutbox.id });
      queued += inserted.length;
    }
    await tx.update(newsletterIssues).set({ state: "sending", queuedAt: now, updatedAt: now }).where(eq(newsletterIssues.id, issueId));
    return queued;
  });
}

/** How many readers a draft issue would go to if sent now: the same choice queueIssue makes. */
export async function countIssueRecipients(db: Db, issueId: number, now = new Date()): Promise<number> {
  const [row] = await db
    .select({ segment: newsletterIssues.segment, newsletterId: newsletterIssues.newsletterId, audience: newsletters.audience })
    .from(newsletterIssues)
    .innerJoin(newsletters, eq(newsletters.id, newsletterIssues.newsletterId))
    .where(eq(newsletterIssues.id, issueId));
  if (!row) return 0;
  let count = 0;
  for await (const chosen of recipientBatches(db, row.newsletterId, row.audience === "paid" ? "paid" : row.segment, now)) count += chosen.length;
  return count;
}

/** A list's confirmed subscribers in the segment, a batch at a time (a paid-only list: entitled readers only). */
async function* recipientBatches(db: Db | Tx, newsletterId: number, segment: NewsletterSegment, now: Date) {
  for (let after = ""; ; ) {
    const batch = await db
      .select({ userId: users.id, email: users.email })
      .from(newsletterSubscriptions)
      .innerJoin(users, eq(users.id, newsletterSubscriptions.userId))
      .where(
        and(
          eq(newsletterSubscriptions.newsletterId, newsletterId),
          isNull(newsletterSubscriptions.unsubscribedAt),
          isNotNull(users.emailVerified),
          isNotNull(users.email),
          gt(users.id, after),
        ),
      )
      .orderBy(asc(users.id))
      .limit(BATCH);
    if (batch.length === 0) return;
    after = batch.at(-1)!.userId;
    const readers = segment === "everyone" ? null : await readersFor(db, batch.map((r) => r.userId), now);
    const chosen = batch.filter((r) => {
      if (!readers) return true;
      const reader = readers.get(r.userId);
      const paid = reader?.kind === "user" && reader.entitlement !== null;
      return segment === "paid" ? paid : !paid;
    });
    if (chosen.length > 0) yield chosen;
  }
}
