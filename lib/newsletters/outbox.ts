import { and, eq, inArray, lte, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { newsletterIssues, newsletterOutbox, newsletterSenderLease, newsletterSubscriptions } from "@/db/schema";

/**
 * The outbox's state changes, each one committed statement. The rule that keeps a crash from
 * sending anyone twice: a row is marked `sending` (committed) before its SMTP call and `sent`
 * after the server accepted it. A row still `sending` when a sender takes the lease was being
 * sent by a sender that died: the server may or may not have taken it, so it becomes `unknown`
 * and is never resent unless an admin asks (resendUnknown). At most one row per crash.
 */

export const INTERRUPTED = "Interrupted while sending (crash or restart): the mail server may have accepted it, so it was not resent.";

/** Takes or renews the one sender lease (on the database's clock). Taking it over recovers the previous holder's row in flight. */
export async function acquireLease(db: Db, holder: string, seconds: number, takingOver: boolean): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [lease] = await tx
      .update(newsletterSenderLease)
      .set({ holder, expiresAt: sql`now() + ${seconds} * interval '1 second'` })
      .where(
        and(
          eq(newsletterSenderLease.id, 1),
          sql`(${newsletterSenderLease.holder} = ${holder} or ${newsletterSenderLease.holder} is null or ${newsletterSenderLease.expiresAt} <= now())`,
        ),
      )
      .returning({ holder: newsletterSenderLease.holder });
    if (!lease) return false;
    if (takingOver) {
      await tx.update(newsletterOutbox).set({ state: "unknown", error: INTERRUPTED }).where(eq(newsletterOutbox.state, "sending"));
    }
    return true;
  });
}

export async function releaseLease(db: Db, holder: string): Promise<void> {
  await db
    .update(newsletterSenderLease)
    .set({ holder: null, expiresAt: sql`now()` })
    .where(and(eq(newsletterSenderLease.id, 1), eq(newsletterSenderLease.holder, holder)));
}

export interface ClaimedRow {
  id: number;
  issueId: number;
  userId: string | null;
  email: string;
  attempts: number;
  /** Still on the issue's list now (a reader who left mid-send gets nothing). */
  stillSubscribed: boolean;
}

/** Marks the next row due `sending`, only while `holder` holds the lease; null when nothing is due. */
export async function claimNext(db: Db, holder: string): Promise<ClaimedRow | null> {
  const next = db
    .select({ id: newsletterOutbox.id })
    .from(newsletterOutbox)
    .innerJoin(newsletterIssues, eq(newsletterIssues.id, newsletterOutbox.issueId))
    .where(and(eq(newsletterOutbox.state, "pending"), lte(newsletterOutbox.notBefore, sql`now()`), eq(newsletterIssues.state, "sending")))
    .orderBy(newsletterOutbox.id)
    .limit(1)
    .for("update", { of: newsletterOutbox, skipLocked: true });
  const [row] = await db
    .update(newsletterOutbox)
    .set({ state: "sending", claimedAt: sql`now()`, attempts: sql`${newsletterOutbox.attempts} + 1` })
    .where(
      and(
        inArray(newsletterOutbox.id, next),
        sql`exists (select 1 from ${newsletterSenderLease} where ${newsletterSenderLease.id} = 1 and ${newsletterSenderLease.holder} = ${holder} and ${newsletterSenderLease.expiresAt} > now())`,
      ),
    )
    .returning({
      id: newsletterOutbox.id,
      issueId: newsletterOutbox.issueId,
      userId: newsletterOutbox.userId,
      email: newsletterOutbox.email,
      attempts: newsletterOutbox.attempts,
      stillSubscribed: sql<boolean>`exists (select 1 from ${newsletterSubscriptions} s join ${newsletterIssues} i on i.newsletter_id = s.newsletter_id
        where i.id = ${newsletterOutbox.issueId} and s.user_id = ${newsletterOutbox.userId} and s.unsubscribed_at is null)`,
    });
  return row ?? null;
}

/** The server accepted it. A row a new sender already marked `unknown` was in fact sent: it says so now. */
export async function markSent(db: Db, id: number): Promise<void> {
  await db
    .update(newsletterOutbox)
    .set({ state: "sent", sentAt: sql`now()`, error: null })
    .where(and(eq(newsletterOutbox.id, id), inArray(newsletterOutbox.state, ["sending", "unknown"])));
}

export async function markOutcome(db: Db, id: number, outcome: { state: "failed" | "unknown"; error: string } | { state: "pending"; error: string; retryInSeconds: number }): Promise<void> {
  await db
    .update(newsletterOutbox)
    .set({
      state: outcome.state,
      error: outcome.error.slice(0, 500),
      notBefore: outcome.state === "pending" ? sql`now() + ${outcome.retryInSeconds} * interval '1 second'` : undefined,
    })
    .where(and(eq(newsletterOutbox.id, id), eq(newsletterOutbox.state, "sending")));
}

/** Issues with nothing left to send are done (`unknown` rows wait for an admin, not for the sender). */
export async function finishIssues(db: Db): Promise<void> {
  await db
    .update(newsletterIssues)
    .set({ state: "sent", finishedAt: sql`now()` })
    .where(
      and(
        eq(newsletterIssues.state, "sending"),
        sql`not exists (select 1 from ${newsletterOutbox} o where o.issue_id = ${newsletterIssues.id} and o.state in ('pending', 'sending'))`,
      ),
    );
}

/** Whether any row is waiting to be sent (now or after a retry delay). */
export async function hasWorkLeft(db: Db): Promise<boolean> {
  const [row] = await db
    .select({ id: newsletterOutbox.id })
    .from(newsletterOutbox)
    .where(inArray(newsletterOutbox.state, ["pending", "sending"]))
    .limit(1);
  return row !== undefined;
}

/** The next pending recipients of an issue from `fromId` on: what the sender looks ahead at to batch entitlement checks. */
export async function upcomingUserIds(db: Db, issueId: number, fromId: number, limit: number): Promise<string[]> {
  const rows = await db
    .select({ userId: newsletterOutbox.userId })
    .from(newsletterOutbox)
    .where(and(eq(newsletterOutbox.issueId, issueId), sql`${newsletterOutbox.id} >= ${fromId}`, inArray(newsletterOutbox.state, ["pending", "sending"])))
    .orderBy(newsletterOutbox.id)
    .limit(limit);
  return rows.flatMap((r) => (r.userId ? [r.userId] : []));
}

/** An admin's explicit choice after a crash: send the `unknown` rows again (they may get it twice). */
export async function resendUnknown(db: Db, issueId: number): Promise<number> {
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(newsletterOutbox)
      .set({ state: "pending", error: null, notBefore: sql`now()` })
      .where(and(eq(newsletterOutbox.issueId, issueId), eq(newsletterOutbox.state, "unknown")))
      .returning({ id: newsletterOutbox.id });
    if (rows.length > 0) await tx.update(newsletterIssues).set({ state: "sending", finishedAt: null }).where(eq(newsletterIssues.id, issueId));
    return rows.length;
  });
}
