import "server-only";
/**
 * A reader's cancel holds on our side whatever Stripe does at that moment: it is recorded (the
 * cancellation row, our subscription row set to end with its period, and the receipt in the
 * billing mail outbox) in one transaction, and only then is Stripe asked. A Stripe that does not
 * answer is asked again by the sweep (retention-sweep.ts) until it has said yes, so the receipt
 * the reader got at once is true. Until then our row says "cancels", which changes no readable
 * day: access still ends with the paid period.
 */
import { and, eq, lte, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { cancellations, plans, subscriptions, users, type SubscriptionRow } from "@/db/schema";
import { billingDay } from "@/lib/billing/billing-day";
import { deliverBillingMailsSoon } from "@/lib/billing/billing-mail-delivery";
import { recordBillingMail } from "@/lib/billing/billing-mail-outbox";
import { lockSubscription, pullSubscriptionFromStripe } from "@/lib/billing/pull-subscription";
import { endSubscriptionNowInStripe } from "@/lib/billing/refunds";
import { cancelAtPeriodEndInStripe, refusedForGood, type CancellationFeedback } from "@/lib/billing/subscription-updates";
import { announceChange } from "@/lib/cache/invalidation";
import { env } from "@/lib/env";
import { cancelReceiptEmail } from "@/lib/mail/templates/cancellation";
import { mailTransport } from "@/lib/mail/transport";
import { pushEachDue } from "./due-retries";

/** Waits between asks of a Stripe that did not answer: doubling from 30 s to at most an hour. */
const FIRST_RETRY_MS = 30_000;
const LONGEST_RETRY_MS = 3_600_000;

/** A subscription our pages may cancel: one that renews (paid, trialing or behind on payment) and is not ending already. */
export function mayCancel(sub: SubscriptionRow): boolean {
  return (sub.status === "active" || sub.status === "trialing" || sub.status === "past_due") && !sub.cancelAtPeriodEnd && sub.cancelAt === null && !sub.collectionPaused;
}

/** The moment as the receipt says it: "December 7, 2026 at 20:15 UTC". */
export function receiptTime(at: Date): string {
  const day = at.toLocaleDateString("en-US", { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" });
  const time = at.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: "UTC" });
  return `${day} at ${time} UTC`;
}

export interface CancellationInput {
  sub: SubscriptionRow;
  userId: string;
  via: "account" | "mailed_link";
  reason: CancellationFeedback | null;
  now: Date;
}

/**
 * Records the cancel and its receipt in the caller's transaction. Null when a cancel of this
 * subscription is already waiting for Stripe (a second tab, a double click): nothing is added.
 */
export async function recordCancellation(tx: Tx, input: CancellationInput): Promise<number | null> {
  const { sub, userId, via, reason, now } = input;
  const [row] = await tx
    .insert(cancellations)
    .values({ stripeSubscriptionId: sub.stripeSubscriptionId, userId, via, reason, requestedAt: now, nextAttemptAt: now })
    .onConflictDoNothing()
    .returning({ id: cancellations.id });
  if (!row) return null;
  await lockSubscription(tx, sub.stripeSubscriptionId);
  await tx
    .update(subscriptions)
    .set({ cancelAtPeriodEnd: true, cancelReason: reason ?? "none given", updatedAt: now })
    .where(eq(subscriptions.stripeSubscriptionId, sub.stripeSubscriptionId));
  if (mailTransport()) {
    const [owner] = await tx.select({ email: users.email }).from(users).where(eq(users.id, userId));
    const [plan] = sub.planId === null ? [] : await tx.select({ name: plans.name }).from(plans).where(eq(plans.id, sub.planId));
    const end = sub.cancelAt ?? sub.currentPeriodEnd;
    const { SITE_NAME, SITE_URL } = env();
    if (owner?.email) {
      const mail = cancelReceiptEmail({
        to: owner.email,
        siteName: SITE_NAME,
        plan: plan?.name ?? "subscription",
        requestedAt: receiptTime(now),
        accessUntil: end ? billingDay(end, sub.clockOffsetSeconds) : null,
        accountUrl: `${SITE_URL}/account`,
      });
      await recordBillingMail(tx, `cancel_receipt:${row.id}`, userId, mail);
    }
  }
  return row.id;
}

/**
 * An account deletion's cancel: the subscription ends now, with no refund (a withdrawal within
 * the 14 days refunds instead). Recorded like any cancel, before Stripe is asked, so it holds while
 * Stripe is down; our row ends at once, so the reader gets less, never more, until Stripe agrees.
 * A cancel at period end still waiting for Stripe is turned into this one. The deletion's own mail
 * says what was cancelled, so no receipt is recorded here. Null when Stripe had ended it already.
 */
export async function recordCancellationNow(tx: Tx, input: { sub: SubscriptionRow; userId: string; now: Date }): Promise<number | null> {
  const { sub, userId, now } = input;
  await lockSubscription(tx, sub.stripeSubscriptionId);
  const [waiting] = await tx
    .update(cancellations)
    .set({ atOnce: true, via: "account_deletion", nextAttemptAt: now })
    .where(and(eq(cancellations.stripeSubscriptionId, sub.stripeSubscriptionId), eq(cancellations.state, "pending")))
    .returning({ id: cancellations.id });
  const [row] = waiting
    ? [waiting]
    : await tx
        .insert(cancellations)
        .values({ stripeSubscriptionId: sub.stripeSubscriptionId, userId, via: "account_deletion", reason: null, atOnce: true, requestedAt: now, nextAttemptAt: now })
        .returning({ id: cancellations.id });
  await tx
    .update(subscriptions)
    .set({ status: "canceled", canceledAt: now, endedAt: now, cancelAtPeriodEnd: false, cancelReason: "account deleted", updatedAt: now })
    .where(eq(subscriptions.stripeSubscriptionId, sub.stripeSubscriptionId));
  await announceChange(tx, "readers", userId);
  return row?.id ?? null;
}

/**
 * Asks Stripe to end the subscription with its period (or now, for an account deletion), once the cancellation is due: the row is
 * claimed first (its next attempt moved on), so two sweeps never ask at once. Never throws for
 * Stripe: a refusal for good marks it `failed` (the admin sees it), anything else waits for the next try.
 */
export async function pushCancellation(db: Db, id: number, now = new Date()): Promise<"done" | "retry" | "failed" | "not_due"> {
  const [claimed] = await db
    .update(cancellations)
    .set({
      attempts: sql`${cancellations.attempts} + 1`,
      nextAttemptAt: sql`${now.toISOString()}::timestamptz + least(${FIRST_RETRY_MS} * power(2, ${cancellations.attempts}), ${LONGEST_RETRY_MS}) * interval '1 millisecond'`,
    })
    .where(and(eq(cancellations.id, id), eq(cancellations.state, "pending"), lte(cancellations.nextAttemptAt, now)))
    .returning();
  if (!claimed) return "not_due";
  try {
    if (claimed.atOnce) await endSubscriptionNowInStripe(claimed.stripeSubscriptionId, "Account deleted");
    else await cancelAtPeriodEndInStripe(claimed.stripeSubscriptionId, (claimed.reason as CancellationFeedback | null) ?? null);
  } catch (error) {
    const failed = refusedForGood(error);
    await db
      .update(cancellations)
      .set({ state: failed ? "failed" : "pending", lastError: error instanceof Error ? error.message.slice(0, 500) : String(error) })
      .where(eq(cancellations.id, id));
    if (failed) console.error(`Stripe refused cancellation ${id} of ${claimed.stripeSubscriptionId}:`, error);
    return failed ? "failed" : "retry";
  }
  await db.update(cancellations).set({ state: "done", doneAt: now, lastError: null }).where(eq(cancellations.id, id));
  await db.transaction((tx) => pullSubscriptionFromStripe(tx, claimed.stripeSubscriptionId, null)).catch((error: unknown) => console.error("Copying a cancelled subscription failed; the webhook will:", error));
  return "done";
}

/** Every cancellation due now, asked of Stripe one by one; how many Stripe accepted. */
export function pushDueCancellations(db: Db, now = new Date()): Promise<number> {
  return pushEachDue(db, cancellations, (id) => pushCancellation(db, id, now), now);
}

/** After the recording transaction commits: ask Stripe now, and send the receipt. */
export async function afterCancellationRecorded(db: Db, id: number | null, now: Date): Promise<void> {
  deliverBillingMailsSoon(db);
  if (id !== null) await pushCancellation(db, id, now);
}

/** "Resume" before Stripe heard of the cancel: it is not asked any more. */
export async function withdrawPendingCancellation(db: Db, stripeSubscriptionId: string): Promise<void> {
  await db
    .update(cancellations)
    .set({ state: "withdrawn" })
    .where(and(eq(cancellations.stripeSubscriptionId, stripeSubscriptionId), eq(cancellations.state, "pending")));
}
