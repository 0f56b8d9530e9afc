import "server-only";
/**
 * Deleting an account (GDPR article 17), by the reader on /account/delete or by the admin for a
 * request received by mail. One transaction records everything, then Stripe is asked:
 *
 * - every live subscription ends at once: a withdrawal (refunded by the publisher's rule) when the
 *   EU withdrawal function is on and the 14 days are not over, otherwise a cancel now without a
 *   refund. Both are the cancel machinery's rows, so they hold while Stripe is down and the
 *   cancellation sweep asks Stripe again until it has;
 * - the confirmation mail goes into the billing mail outbox, addressed before the address is erased;
 * - the person is erased: the user row keeps only its id, role and dates (so invoices and consent
 *   records kept for bookkeeping point at no name or address), and sessions, sign-in links, OAuth
 *   links, newsletters, the meter, the experiment key, cancel links and organisation memberships
 *   are deleted; funnel events and attributed conversions lose their link to the user.
 *
 * A second call (a replayed POST, a second tab, the admin after the reader) changes nothing more.
 */
import { and, eq, inArray, isNull, ne } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import {
  accounts,
  billingMails,
  cancelLinks,
  cancelRequests,
  conversions,
  familyInvites,
  familyMembers,
  funnelEvents,
  newsletterOutbox,
  newsletterSubscriptions,
  organisationMembers,
  plans,
  sessions,
  subscriptions,
  userMeters,
  users,
  verificationTokens,
} from "@/db/schema";
import { deliverBillingMailsSoon } from "@/lib/billing/billing-mail-delivery";
import { recordBillingMail } from "@/lib/billing/billing-mail-outbox";
import { formatMoney } from "@/lib/billing/money";
import { announceChange } from "@/lib/cache/invalidation";
import { env } from "@/lib/env";
import { accountDeletedEmail } from "@/lib/mail/templates/account-deletion";
import { mailTransport } from "@/lib/mail/transport";
import { pushCancellation, receiptTime, recordCancellationNow } from "@/lib/retention/recorded-cancellation";
import { afterWithdrawalRecorded, recordWithdrawal, withdrawalRule, withdrawRefusal } from "@/lib/retention/withdrawals";

/** Subscriptions that could still read or charge: each is ended by a deletion. */
const LIVE = ["trialing", "active", "past_due", "unpaid", "paused", "incomplete"] as const;

/** What a deletion did to one subscription. */
export type EndedSubscription =
  | { kind: "withdrawal"; id: number; subscription: string; plan: string; refund: number; currency: string | null }
  | { kind: "cancellation"; id: number | null; subscription: string; plan: string };

/** The erased account as it was, for the admin's audit entry (no address: the log keeps the id). */
export type ErasedAccount = { userId: string; hadEmail: boolean; ended: EndedSubscription[] };

export type DeletionOutcome = { ok: true; deleted: true; ended: EndedSubscription[] } | { ok: true; deleted: false } | { ok: false; reason: "not_found" };

export interface DeletionOptions {
  /** Who asked: the reader themself, or the admin for a request by mail. */
  by: "reader" | "admin";
  now?: Date;
  /** Runs in the deletion's transaction (the admin's audit entry), after the erasure. */
  inTransaction?: (tx: Tx, erased: ErasedAccount) => Promise<void>;
}

/** The confirmation mail's outbox key: one per account, so a replay records no second mail. */
export const deletionMailKey = (userId: string) => `account_deleted:${userId}`;

export async function deleteAccount(db: Db, userId: string, options: DeletionOptions): Promise<DeletionOutcome> {
  const now = options.now ?? new Date();
  const outcome = await db.transaction(async (tx): Promise<DeletionOutcome> => {
    const [user] = await tx.select({ id: users.id, email: users.email, deletedAt: users.deletedAt }).from(users).where(eq(users.id, userId)).for("update");
    if (!user) return { ok: false, reason: "not_found" };
    if (user.deletedAt) return { ok: true, deleted: false };
    const ended = await endSubscriptions(tx, userId, now);
    if (user.email && mailTransport()) {
      const { SITE_NAME } = env();
      const mail = accountDeletedEmail({ to: user.email, siteName: SITE_NAME, deletedAt: receiptTime(now), ended: ended.map(endedWords), byAdmin: options.by === "admin" });
      await recordBillingMail(tx, deletionMailKey(userId), userId, mail);
    }
    await erasePerson(tx, userId, user.email, now);
    await options.inTransaction?.(tx, { userId, hadEmail: user.email !== null, ended });
    return { ok: true, deleted: true, ended };
  });
  if (outcome.ok && outcome.deleted) {
    deliverBillingMailsSoon(db);
    for (const end of outcome.ended) {
      if (end.kind === "withdrawal") await afterWithdrawalRecorded(db, end.id, now);
      else if (end.id !== null) await pushCancellation(db, end.id, now);
    }
  }
  return outcome;
}

/** Each live subscription: withdrawn from (refund) within the EU 14 days, else cancelled now (no refund). */
async function endSubscriptions(tx: Tx, userId: string, now: Date): Promise<EndedSubscription[]> {
  const live = await tx
    .select({ sub: subscriptions, plan: plans.name })
    .from(subscriptions)
    .leftJoin(plans, eq(plans.id, subscriptions.planId))
    .where(and(eq(subscriptions.userId, userId), inArray(subscriptions.status, [...LIVE])))
    .orderBy(subscriptions.stripeSubscriptionId);
  const rule = withdrawalRule();
  const ended: EndedSubscription[] = [];
  for (const { sub, plan } of live) {
    const name = plan ?? "Subscription";
    const withdrawn = rule && withdrawRefusal(sub, now) === null ? await recordWithdrawal(tx, { sub, userId, via: "account_deletion", rule, now, receipt: false }) : null;
    if (withdrawn) {
      ended.push({ kind: "withdrawal", id: withdrawn.id, subscription: sub.stripeSubscriptionId, plan: name, refund: withdrawn.refund, currency: withdrawn.currency });
      continue;
    }
    ended.push({ kind: "cancellation", id: await recordCancellationNow(tx, { sub, userId, now }), subscription: sub.stripeSubscriptionId, plan: name });
  }
  return ended;
}

function endedWords(end: EndedSubscription): string {
  if (end.kind === "cancellation") return `Your ${end.plan} subscription ended at once. Nothing more will be charged; the days already paid for are not refunded.`;
  const refund = end.refund > 0 && end.currency ? `We refund ${formatMoney(end.refund, end.currency)} to the card you paid with.` : "Nothing was charged, so there is nothing to refund.";
  return `Your ${end.plan} subscription ended at once: you had bought it less than 14 days ago, so it counts as a withdrawal from the contract. ${refund}`;
}

/** Everything that names or follows the person; what bookkeeping needs stays under the bare id. */
async function erasePerson(tx: Tx, userId: string, email: string | null, now: Date): Promise<void> {
  await tx.update(users).set({ email: null, name: null, image: null, emailVerified: null, experimentKey: null, role: "reader", deletedAt: now }).where(eq(users.id, userId));
  await tx.delete(sessions).where(eq(sessions.userId, userId));
  await tx.delete(accounts).where(eq(accounts.userId, userId));
  await tx.delete(newsletterSubscriptions).where(eq(newsletterSubscriptions.userId, userId));
  await tx.delete(newsletterOutbox).where(eq(newsletterOutbox.userId, userId));
  await tx.delete(userMeters).where(eq(userMeters.userId, userId));
  await tx.delete(cancelLinks).where(eq(cancelLinks.userId, userId));
  await tx.delete(organisationMembers).where(eq(organisationMembers.userId, userId));
  // A place in someone's family ends as if they left (the payer's page frees it).
  await tx.update(familyMembers).set({ endedAt: now, endedBy: "member" }).where(and(eq(familyMembers.userId, userId), isNull(familyMembers.endedAt)));
  if (email) {
    // Invitations not yet accepted name the address.
    await tx.delete(familyInvites).where(and(eq(familyInvites.email, email), isNull(familyInvites.acceptedAt)));
    await tx.delete(verificationTokens).where(eq(verificationTokens.identifier, email));
    await tx.delete(cancelRequests).where(eq(cancelRequests.email, email));
  }
  // Mail not yet sent would go to an erased address; mail sent keeps no copy (the confirmation's is
  // dropped by the privacy sweep once it is sent).
  await tx.delete(billingMails).where(and(eq(billingMails.userId, userId), ne(billingMails.state, "sent"), ne(billingMails.key, deletionMailKey(userId))));
  await tx.update(billingMails).set({ content: null }).where(and(eq(billingMails.userId, userId), eq(billingMails.state, "sent")));
  await tx.update(funnelEvents).set({ userId: null }).where(eq(funnelEvents.userId, userId));
  await tx.update(conversions).set({ userId: null }).where(eq(conversions.userId, userId));
  await announceChange(tx, "readers", userId);
}

