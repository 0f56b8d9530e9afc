import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { newsletterIssues, newsletterOutbox, newsletterSenderLease } from "@/db/schema";
import { markedFailed, markedForResend, markedInterrupted, markedSent } from "@/lib/mail/outbox-state";
import type { SendFailure } from "@/lib/mail/smtp-outcome";
import { rowsOf } from "./rows";

/**
 * The outbox's state changes, each one committed statement. The rule that keeps a crash from
 * sending anyone twice: a row is marked `sending` (committed) before its SMTP call and `sent`
 * after the server accepted it. A row still `sending` when a sender takes the lease was being
 * sent by a sender that died: the server may or may not have taken it, so it becomes `unknown`
 * and is never resent unless an admin asks (resendUnknown). At most one row per crash.
 */


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
      await tx.update(newsletterOutbox).set(markedInterrupted()).where(eq(newsletterOutbox.state, "sending"));
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

/**
 * Marks the next row due `sending`, only while `holder` holds the lease; null when nothing is due.
 * `sentId`, the row the server just accepted, is marked `sent` in the same statement (one round
 * trip per message; at no moment are two rows `sending`).
 */
export async function claimNext(db: Db, holder: string, sentId: number | null = null): Promise<ClaimedRow | null> {
  const [row] = await rowsOf<{ id: number; issue_id: number; user_id: string | null; email: string; attempts: number; still_subscribed: boolean }>(
    db,
    sql`with sent as (
        update newsletter_outbox set state = 'sent', sent_at = now(), last_error = null
        where id = ${sentId} and state in ('sending', 'unknown'))
      update newsletter_outbox o set state = 'sending', claimed_at = now(), attempts = o.attempts + 1
      where o.id = (select x.id from newsletter_outbox x join newsletter_issues i on i.id = x.issue_id
          where x.state = 'pending' and x.next_attempt_at <= now() and i.state = 'sending'
          order by x.id limit 1 for update of x skip locked)
        and exists (select 1 from newsletter_sender_lease l where l.id = 1 and l.holder = ${holder} and l.expires_at > now())
      returning o.id, o.issue_id, o.user_id, o.email, o.attempts, exists (select 1 from newsletter_subscriptions s
        join newsletter_issues i on i.newsletter_id = s.newsletter_id
        where i.id = o.issue_id and s.user_id = o.user_id and s.unsubscribed_at is null) as still_subscribed`,
  );
  if (!row) return null;
  return { id: Number(row.id), issueId: row.issue_id, userId: row.user_id, email: row.email, attempts: row.attempts, stillSubscribed: row.still_subscribed };
}

/** The server accepted it. A row a new sender already marked `unknown` was in fact sent: it says so now. */
export async function markSent(db: Db, id: number): Promise<void> {
  await db
    .update(newsletterOutbox)
    .set(markedSent())
    .where(and(eq(newsletterOutbox.id, id), inArray(newsletterOutbox.state, ["sending", "unknown"])));
}

export async function markOutcome(db: Db, id: number, outcome: SendFailure): Promise<void> {
  await db
    .update(newsletterOutbox)
    .set(markedFailed(outcome))
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
      .set(markedForResend())
      .where(and(eq(newsletterOutbox.issueId, issueId), eq(newsletterOutbox.state, "unknown")))
      .returning({ id: newsletterOutbox.id });
    if (rows.length > 0) await tx.update(newsletterIssues).set({ state: "sending", finishedAt: null }).where(eq(newsletterIssues.id, issueId));
    return rows.length;
  });
}

