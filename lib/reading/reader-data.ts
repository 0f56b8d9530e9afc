import "server-only";
/**
 * "Download my data" (GDPR articles 15 and 20): the reader's own records, as JSON a person or
 * another service can read. Every query is bounded by the reader's own id (or their own Stripe
 * customers), and names its columns: nothing of another reader, no token hashes, no secrets.
 */
import { desc, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { cancellations, consentRecords, gifts, invoices, subscriptions, userMeters, users, withdrawals } from "@/db/schema";
import { customerIdsFor } from "@/lib/billing/customers";
import { newsletterChoices } from "@/lib/newsletters/subscriptions";

export async function readerData(db: Db, userId: string, now = new Date()) {
  const [account] = await db
    .select({ id: users.id, email: users.email, name: users.name, emailVerified: users.emailVerified, memberSince: users.createdAt })
    .from(users)
    .where(eq(users.id, userId));
  if (!account) return null;
  const customerIds = await customerIdsFor(db, userId);
  const [subs, invoiceRows, newsletters, given, consents, withdrawn, cancelled, meter] = await Promise.all([
    db
      .select({
        id: subscriptions.stripeSubscriptionId,
        status: subscriptions.status,
        planId: subscriptions.planId,
        started: subscriptions.stripeCreated,
        currentPeriodStart: subscriptions.currentPeriodStart,
        currentPeriodEnd: subscriptions.currentPeriodEnd,
        cancelAtPeriodEnd: subscriptions.cancelAtPeriodEnd,
        canceledAt: subscriptions.canceledAt,
        endedAt: subscriptions.endedAt,
        trialEnd: subscriptions.trialEnd,
        cancelReason: subscriptions.cancelReason,
      })
      .from(subscriptions)
      .where(eq(subscriptions.userId, userId)),
    customerIds.length === 0
      ? []
      : db
          .select({ id: invoices.stripeInvoiceId, status: invoices.status, amountDue: invoices.amountDue, amountPaid: invoices.amountPaid, currency: invoices.currency, periodStart: invoices.periodStart, periodEnd: invoices.periodEnd, created: invoices.stripeCreated, url: invoices.hostedInvoiceUrl })
          .from(invoices)
          .where(inArray(invoices.stripeCustomerId, customerIds))
          .orderBy(desc(invoices.stripeCreated)),
    newsletterChoices(db, userId),
    db.select({ articleId: gifts.articleId, created: gifts.createdAt, expires: gifts.expiresAt, revoked: gifts.revokedAt }).from(gifts).where(eq(gifts.gifterUserId, userId)),
    db
      .select({ subscription: consentRecords.stripeSubscriptionId, terms: consentRecords.termsText, version: consentRecords.termsVersion, hash: consentRecords.termsHash, shownAt: consentRecords.shownAt, acceptedAt: consentRecords.acceptedAt })
      .from(consentRecords)
      .where(eq(consentRecords.userId, userId)),
    db
      .select({ subscription: withdrawals.stripeSubscriptionId, requestedAt: withdrawals.requestedAt, amountPaid: withdrawals.amountPaid, refund: withdrawals.refundAmount, currency: withdrawals.currency, state: withdrawals.state })
      .from(withdrawals)
      .where(eq(withdrawals.userId, userId)),
    db.select({ subscription: cancellations.stripeSubscriptionId, requestedAt: cancellations.requestedAt, reason: cancellations.reason, state: cancellations.state }).from(cancellations).where(eq(cancellations.userId, userId)),
    db.select({ windowStart: userMeters.windowStart, articleIds: userMeters.articleIds }).from(userMeters).where(eq(userMeters.userId, userId)),
  ]);
  return {
    exportedAt: now.toISOString(),
    account,
    subscriptions: subs,
    invoices: invoiceRows,
    newsletters: newsletters.map((n) => ({ newsletter: n.newsletter.name, subscribed: n.subscribed })),
    giftsGiven: given,
    consentRecords: consents,
    withdrawals: withdrawn,
    cancellations: cancelled,
    meter: meter[0] ? { windowStart: new Date(meter[0].windowStart * 1000).toISOString(), articlesRead: meter[0].articleIds } : null,
  };
}
