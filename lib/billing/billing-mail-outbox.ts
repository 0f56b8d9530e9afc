import "server-only";
import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";
import type { Db, Queryable, Tx } from "@/db/client";
import { billingMails, type BillingMailContent } from "@/db/schema";
import { markedFailed, markedForResend, markedInterrupted, markedSent } from "@/lib/mail/outbox-state";
import type { SendFailure } from "@/lib/mail/smtp-outcome";

/**
 * The billing mail outbox's state changes, each one committed statement (the newsletter
 * outbox's rule, docs/decisions/0018; the changes themselves are lib/mail/outbox-state.ts): a row is marked `sending` before its SMTP call and `sent`
 * after the server accepted it. A row still `sending` after SENDING_TIMEOUT_MINUTES was being sent
 * by a deliverer that died: the server may or may not have it, so it becomes `unknown` and is not
 * resent unless an admin asks. Never more than one copy; at most one uncertain row per crash.
 */

/** Far longer than one SMTP send takes (the transport gives up on a silent server after 30 s: lib/mail/transport.ts). */
export const SENDING_TIMEOUT_MINUTES = 5;

export interface ClaimedMail {
  key: string;
  content: BillingMailContent;
  /** Counting this one. */
  attempts: number;
}

/**
 * Records one mail under its unique key, in the caller's transaction (sent after it commits by
 * billing-mail-delivery.ts); false when the key was recorded before (a replay records nothing).
 */
export async function recordBillingMail(tx: Tx, key: string, userId: string | null, mail: BillingMailContent): Promise<boolean> {
  const content: BillingMailContent = { to: mail.to, subject: mail.subject, text: mail.text, html: mail.html };
  const recorded = await tx.insert(billingMails).values({ key, userId, content }).onConflictDoNothing().returning({ key: billingMails.key });
  return recorded.length === 1;
}

/** Rows left `sending` by a deliverer that died become `unknown`. */
export async function markInterrupted(db: Db): Promise<number> {
  const rows = await db
    .update(billingMails)
    .set(markedInterrupted())
    .where(and(eq(billingMails.state, "sending"), sql`${billingMails.claimedAt} < now() - ${SENDING_TIMEOUT_MINUTES} * interval '1 minute'`))
    .returning({ key: billingMails.key });
  return rows.length;
}

/**
 * Marks the oldest due `pending` row `sending`, in one statement: the row is locked with SKIP
 * LOCKED while it is chosen, so two deliverers (two webhooks, two instances) never claim the
 * same row. Null when nothing is due.
 */
export async function claimNext(db: Db): Promise<ClaimedMail | null> {
  const due = db
    .select({ key: billingMails.key })
    .from(billingMails)
    .where(and(eq(billingMails.state, "pending"), lte(billingMails.nextAttemptAt, sql`now()`)))
    .orderBy(asc(billingMails.nextAttemptAt))
    .limit(1)
    .for("update", { skipLocked: true });
  const [row] = await db
    .update(billingMails)
    .set({ state: "sending", claimedAt: sql`now()`, attempts: sql`${billingMails.attempts} + 1` })
    .where(and(inArray(billingMails.key, due), eq(billingMails.state, "pending")))
    .returning({ key: billingMails.key, content: billingMails.content, attempts: billingMails.attempts });
  if (!row) return null;
  // The check constraint keeps content on every row that is not `sent`.
  return { key: row.key, content: row.content!, attempts: row.attempts };
}

/** The server accepted it. A row already marked `unknown` (a slow send) was in fact sent: it says so now. */
export async function markSent(db: Db, key: string): Promise<void> {
  await db
    .update(billingMails)
    .set(markedSent())
    .where(and(eq(billingMails.key, key), inArray(billingMails.state, ["sending", "unknown"])));
}

/** A send that failed: back to `pending` after a delay, or `failed`/`unknown` with the reason. */
export async function markOutcome(db: Db, key: string, outcome: SendFailure): Promise<void> {
  await db
    .update(billingMails)
    .set(markedFailed(outcome))
    .where(and(eq(billingMails.key, key), eq(billingMails.state, "sending")));
}

/** An admin's explicit choice for an `unknown` mail: send it again (the reader may get it twice). */
export async function resendUnknownMail(db: Queryable, key: string): Promise<boolean> {
  const rows = await db
    .update(billingMails)
    .set(markedForResend())
    .where(and(eq(billingMails.key, key), eq(billingMails.state, "unknown")))
    .returning({ key: billingMails.key });
  return rows.length === 1;
}
