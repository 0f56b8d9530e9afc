import "server-only";
/**
 * The EU withdrawal function: within 14 days of buying, a reader withdraws from the contract with
 * one button (on /account/withdraw, or by a mailed one-time link without signing in). Like a
 * cancel, it holds on our side whatever Stripe does at that moment: the withdrawal (with the
 * refund fixed by the publisher's rule), our subscription row ended at once, and the receipt in
 * the billing mail outbox are written in one transaction; then Stripe is asked to end the
 * subscription and refund, and the retention sweep asks again until it has. One withdrawal per
 * subscription (a unique index), so a replayed POST or a second tab refunds nothing more.
 */
import { and, desc, eq, gt, inArray, lte, sql } from "drizzle-orm";
import type { Db, Queryable, Tx } from "@/db/client";
import { cancellations, invoices, plans, subscriptions, users, withdrawals, type SubscriptionRow } from "@/db/schema";
import { deliverBillingMailsSoon } from "@/lib/billing/billing-mail-delivery";
import { recordBillingMail } from "@/lib/billing/billing-mail-outbox";
import { formatMoney } from "@/lib/billing/money";
import { lockSubscription, pullSubscriptionFromStripe } from "@/lib/billing/pull-subscription";
import { endSubscriptionNowInStripe, refundInvoicePaymentInStripe } from "@/lib/billing/refunds";
import { refusedForGood } from "@/lib/billing/subscription-updates";
import { announceChange } from "@/lib/cache/invalidation";
import { env } from "@/lib/env";
import { withdrawalReceiptEmail } from "@/lib/mail/templates/cancellation";
import { mailTransport } from "@/lib/mail/transport";
import { useLink, type LinkProblem } from "./cancel-links";
import { pushEachDue } from "./due-retries";
import { receiptTime } from "./recorded-cancellation";
import { withdrawalPeriodEnd, withdrawalRefund, withinWithdrawalPeriod, type RefundRule } from "./withdrawal-refund";

const FIRST_RETRY_MS = 30_000;
const LONGEST_RETRY_MS = 3_600_000;

/** The publisher's refund rule, or null when this deployment has no withdrawal function. */
export function withdrawalRule(): RefundRule | null {
  const setting = env().EU_WITHDRAWAL;
  return setting === "off" ? null : setting;
}

/** Now on the subscription's (Stripe's) clock, which its dates are on. */
const stripeNow = (sub: SubscriptionRow, now: Date) => new Date(now.getTime() + sub.clockOffsetSeconds * 1000);

export type WithdrawRefusal = "off" | "not_live" | "period_over";

/** Why this subscription may not be withdrawn from now, or null when it may. */
export function withdrawRefusal(sub: SubscriptionRow, now: Date): WithdrawRefusal | null {
  if (!withdrawalRule()) return "off";
  if (sub.status !== "active" && sub.status !== "trialing" && sub.status !== "past_due") return "not_live";
  if (!withinWithdrawalPeriod(sub.stripeCreated, stripeNow(sub, now))) return "period_over";
  return null;
}

/** When the 14 days end, on our clock. */
export function withdrawableUntil(sub: SubscriptionRow): Date {
  return new Date(withdrawalPeriodEnd(sub.stripeCreated).getTime() - sub.clockOffsetSeconds * 1000);
}

export type Withdrawable = { sub: SubscriptionRow; plan: string };

/** The account's subscriptions it may withdraw from now. */
export async function withdrawableSubscriptions(db: Queryable, userId: string, now = new Date()): Promise<Withdrawable[]> {
  if (!withdrawalRule()) return [];
  const rows = await db
    .select({ sub: subscriptions, plan: plans.name })
    .from(subscriptions)
    .leftJoin(plans, eq(plans.id, subscriptions.planId))
    .where(and(eq(subscriptions.userId, userId), inArray(subscriptions.status, ["trialing", "active", "past_due"])));
  return rows.filter((r) => withdrawRefusal(r.sub, now) === null).map((r) => ({ sub: r.sub, plan: r.plan ?? "Subscription" }));
}

/** The payment a withdrawal refunds: the subscription's latest paid invoice that took money. */
async function paidInvoice(tx: Tx, subscriptionId: string) {
  const [invoice] = await tx
    .select()
    .from(invoices)
    .where(and(eq(invoices.stripeSubscriptionId, subscriptionId), eq(invoices.status, "paid"), gt(invoices.amountPaid, 0)))
    .orderBy(desc(invoices.stripeCreated))
    .limit(1);
  return invoice ?? null;
}

export type RecordedWithdrawal = { id: number; refund: number; currency: string | null };

/**
 * Records the withdrawal in the caller's transaction: the row (refund fixed now), our
 * subscription ended at once, the receipt in the outbox. Null when this subscription was
 * withdrawn from already (a replay, a second tab): nothing is added.
 */
export async function recordWithdrawal(
  tx: Tx,
  input: { sub: SubscriptionRow; userId: string; via: "account" | "mailed_link" | "account_deletion"; rule: RefundRule; now: Date; receipt?: boolean },
): Promise<RecordedWithdrawal | null> {
  const { sub, userId, via, rule, now } = input;
  await lockSubscription(tx, sub.stripeSubscriptionId);
  const invoice = await paidInvoice(tx, sub.stripeSubscriptionId);
  const at = stripeNow(sub, now);
  const amountPaid = invoice?.amountPaid ?? 0;
  const start = sub.currentPeriodStart ?? invoice?.periodStart ?? sub.stripeCreated;
  const end = sub.currentPeriodEnd ?? invoice?.periodEnd ?? at;
  // Nothing paid (a trial): nothing to refund, and no days to count.
  const refund = amountPaid > 0 ? withdrawalRefund({ rule, amountPaid, periodStart: start, periodEnd: end, withdrawnAt: at }) : { refund: 0, daysRead: null, daysPaid: null };
  const [row] = await tx
    .insert(withdrawals)
    .values({
      stripeSubscriptionId: sub.stripeSubscriptionId,
      userId,
      via,
      requestedAt: now,
      stripeInvoiceId: invoice?.stripeInvoiceId ?? null,
      currency: invoice?.currency ?? null,
      amountPaid,
      refundAmount: refund.refund,
      refundRule: rule,
      daysRead: refund.daysRead,
      daysPaid: refund.daysPaid,
      nextAttemptAt: now,
    })
    .onConflictDoNothing()
    .returning({ id: withdrawals.id });
  if (!row) return null;
  // Reading ends now; a cancel still waiting for Stripe is overtaken by this.
  await tx
    .update(subscriptions)
    .set({ status: "canceled", canceledAt: at, endedAt: at, cancelAtPeriodEnd: false, cancelReason: "withdrawn", updatedAt: now })
    .where(eq(subscriptions.stripeSubscriptionId, sub.stripeSubscriptionId));
  await tx
    .update(cancellations)
    .set({ state: "withdrawn" })
    .where(and(eq(cancellations.stripeSubscriptionId, sub.stripeSubscriptionId), eq(cancellations.state, "pending")));
  await announceChange(tx, "readers", userId);
  // An account deletion says what it withdrew from in its own mail.
  if (mailTransport() && input.receipt !== false) {
    const [owner] = await tx.select({ email: users.email }).from(users).where(eq(users.id, userId));
    const [plan] = sub.planId === null ? [] : await tx.select({ name: plans.name }).from(plans).where(eq(plans.id, sub.planId));
    const { SITE_NAME, SITE_URL } = env();
    if (owner?.email) {
      const money = invoice && refund.refund > 0 ? formatMoney(refund.refund, invoice.currency) : null;
      const why =
        money && refund.daysRead !== null && refund.daysPaid !== null
          ? `${formatMoney(amountPaid, invoice!.currency)} paid, less ${refund.daysRead} of ${refund.daysPaid} days read`
          : null;
      const mail = withdrawalReceiptEmail({ to: owner.email, siteName: SITE_NAME, plan: plan?.name ?? "subscription", requestedAt: receiptTime(now), refund: money, refundWhy: why, accountUrl: `${SITE_URL}/account` });
      await recordBillingMail(tx, `withdrawal_receipt:${row.id}`, userId, mail);
    }
  }
  return { id: row.id, refund: refund.refund, currency: invoice?.currency ?? null };
}

/**
 * Asks Stripe to end the subscription and refund, once due: the row is claimed first (its next
 * attempt moved on), so two sweeps never ask at once. Never throws for Stripe.
 */
export async function pushWithdrawal(db: Db, id: number, now = new Date()): Promise<"done" | "retry" | "failed" | "not_due"> {
  const [claimed] = await db
    .update(withdrawals)
    .set({
      attempts: sql`${withdrawals.attempts} + 1`,
      nextAttemptAt: sql`${now.toISOString()}::timestamptz + least(${FIRST_RETRY_MS} * power(2, ${withdrawals.attempts}), ${LONGEST_RETRY_MS}) * interval '1 millisecond'`,
    })
    .where(and(eq(withdrawals.id, id), eq(withdrawals.state, "pending"), lte(withdrawals.nextAttemptAt, now)))
    .returning();
  if (!claimed) return "not_due";
  let refundId: string | null = null;
  try {
    await endSubscriptionNowInStripe(claimed.stripeSubscriptionId);
    if (claimed.refundAmount > 0 && claimed.stripeInvoiceId) {
      refundId = await refundInvoicePaymentInStripe({ invoiceId: claimed.stripeInvoiceId, amount: claimed.refundAmount, key: String(claimed.id) });
    }
  } catch (error) {
    const failed = refusedForGood(error);
    await db
      .update(withdrawals)
      .set({ state: failed ? "failed" : "pending", lastError: error instanceof Error ? error.message.slice(0, 500) : String(error) })
      .where(eq(withdrawals.id, id));
    if (failed) console.error(`Stripe refused withdrawal ${id} of ${claimed.stripeSubscriptionId}:`, error);
    return failed ? "failed" : "retry";
  }
  await db.update(withdrawals).set({ state: "done", doneAt: now, lastError: null, stripeRefundId: refundId }).where(eq(withdrawals.id, id));
  await db.transaction((tx) => pullSubscriptionFromStripe(tx, claimed.stripeSubscriptionId, null)).catch((error: unknown) => console.error("Copying a withdrawn subscription failed; the webhook will:", error));
  return "done";
}

/** Every withdrawal due now, asked of Stripe one by one; how many it completed. */
export function pushDueWithdrawals(db: Db, now = new Date()): Promise<number> {
  return pushEachDue(db, withdrawals, (id) => pushWithdrawal(db, id, now), now);
}

export async function afterWithdrawalRecorded(db: Db, id: number, now: Date): Promise<void> {
  deliverBillingMailsSoon(db);
  await pushWithdrawal(db, id, now);
}

export type WithdrawOutcome = { ok: true; plan: string; recorded: RecordedWithdrawal | null } | { ok: false; reason: WithdrawRefusal | "not_yours" };

/** Signed in: withdraws from one of the reader's own subscriptions. */
export async function withdrawFromAccount(db: Db, userId: string, subscriptionId: string, now = new Date()): Promise<WithdrawOutcome> {
  const rule = withdrawalRule();
  if (!rule) return { ok: false, reason: "off" };
  const outcome = await db.transaction(async (tx): Promise<WithdrawOutcome> => {
    await lockSubscription(tx, subscriptionId);
    const [row] = await tx
      .select({ sub: subscriptions, plan: plans.name })
      .from(subscriptions)
      .leftJoin(plans, eq(plans.id, subscriptions.planId))
      .where(and(eq(subscriptions.stripeSubscriptionId, subscriptionId), eq(subscriptions.userId, userId)));
    if (!row) return { ok: false, reason: "not_yours" };
    const refusal = withdrawRefusal(row.sub, now);
    if (refusal) return { ok: false, reason: refusal };
    const recorded = await recordWithdrawal(tx, { sub: row.sub, userId, via: "account", rule, now });
    return { ok: true, plan: row.plan ?? "subscription", recorded };
  });
  if (outcome.ok && outcome.recorded) await afterWithdrawalRecorded(db, outcome.recorded.id, now);
  return outcome;
}

export type WithdrawByLinkOutcome = WithdrawOutcome | { ok: false; reason: LinkProblem };

/** The mailed link's button: uses the link up and records the withdrawal in one transaction. */
export async function withdrawByLink(db: Db, token: string, now = new Date()): Promise<WithdrawByLinkOutcome> {
  const rule = withdrawalRule();
  if (!rule) return { ok: false, reason: "off" };
  const outcome = await db.transaction(async (tx): Promise<WithdrawByLinkOutcome> => {
    const used = await useLink(tx, token, "withdraw", now);
    if (!used.ok) return used;
    const { sub, plan, link } = used.linked;
    const refusal = withdrawRefusal(sub, now);
    if (refusal) return { ok: false, reason: refusal };
    const recorded = await recordWithdrawal(tx, { sub, userId: link.userId, via: "mailed_link", rule, now });
    return { ok: true, plan, recorded };
  });
  if (outcome.ok && outcome.recorded) await afterWithdrawalRecorded(db, outcome.recorded.id, now);
  return outcome;
}
