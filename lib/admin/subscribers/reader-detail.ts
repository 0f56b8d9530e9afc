import "server-only";
import { and, desc, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { consentRecords, grants, stripeEvents, users, type SubscriptionRow } from "@/db/schema";
import { loadUserMeter } from "@/lib/access/user-meter";
import { recentInvoices, subscriptionsWithPlan } from "@/lib/billing/account-billing";
import { customerIdsFor } from "@/lib/billing/customers";
import { entitlementFor, grantEntitlement, subscriptionEntitlement } from "@/lib/access/entitlement";
import { onOurClock } from "@/lib/billing/stripe-rows";

export interface ReaderDetail {
  account: { id: string; email: string | null; emailVerified: Date | null; role: string; memberSince: Date; deletedAt: Date | null };
  entitlement: { source: string; until: Date | null } | null;
  subscriptions: Array<{
    id: string;
    plan: string | null;
    status: string;
    entitled: boolean;
    stripePriceId: string;
    created: Date;
    currentPeriodEnd: Date | null;
    cancelAtPeriodEnd: boolean;
    endedAt: Date | null;
  }>;
  invoices: Array<{ id: string; status: string; amount: number; currency: string; created: Date; periodEnd: Date | null; url: string | null }>;
  events: Array<{ id: string; type: string; state: string; received: Date; error: string | null }>;
  meter: { windowStart: Date; articles: number } | null;
  /** What the reader agreed to at each Checkout: the terms as shown, their version and hash. */
  consents: Array<{ subscription: string; terms: string; version: string; hash: string; shownAt: Date; acceptedAt: Date }>;
  grants: Array<{ id: number; reason: string; startsAt: Date; endsAt: Date | null; revokedAt: Date | null; active: boolean; createdBy: string | null }>;
  customerIds: string[];
}

export async function readerDetail(db: Db, userId: string, graceDays: number, now = new Date()): Promise<ReaderDetail | null> {
  const [account] = await db
    .select({ id: users.id, email: users.email, emailVerified: users.emailVerified, role: users.role, memberSince: users.createdAt, deletedAt: users.deletedAt })
    .from(users)
    .where(eq(users.id, userId));
  if (!account) return null;
  const [subs, customers, userGrants, meter, consents] = await Promise.all([
    subscriptionsWithPlan(db, userId),
    customerIdsFor(db, userId),
    db
      .select({ grant: grants, createdBy: users.email })
      .from(grants)
      .leftJoin(users, eq(users.id, grants.createdBy))
      .where(eq(grants.userId, userId))
      .orderBy(desc(grants.createdAt)),
    loadUserMeter(db, userId),
    db.select().from(consentRecords).where(eq(consentRecords.userId, userId)).orderBy(desc(consentRecords.acceptedAt)),
  ]);
  const customerIds = [...new Set([...customers, ...subs.map((s) => s.sub.stripeCustomerId)])];
  const [invoiceRows, eventRows] =
    customerIds.length === 0
      ? [[], []]
      : await Promise.all([
          recentInvoices(db, customerIds, 50),
          db
            .select({ id: stripeEvents.id, type: stripeEvents.type, state: stripeEvents.state, received: stripeEvents.receivedAt, error: stripeEvents.error })
            .from(stripeEvents)
            .where(and(inArray(stripeEvents.stripeCustomerId, customerIds)))
            .orderBy(desc(stripeEvents.receivedAt), desc(stripeEvents.id))
            .limit(50),
        ]);
  const entitlement = entitlementFor(
    subs.map((s) => s.sub),
    userGrants.map((g) => g.grant),
    now,
    graceDays,
  );
  return {
    account,
    entitlement,
    subscriptions: subs.map(({ sub, planName }) => subscriptionLine(sub, planName, now, graceDays)),
    invoices: invoiceRows.map((i) => ({
      id: i.stripeInvoiceId,
      status: i.status,
      amount: i.amountPaid || i.amountDue,
      currency: i.currency,
      created: i.stripeCreated,
      periodEnd: i.periodEnd,
      url: i.hostedInvoiceUrl,
    })),
    events: eventRows,
    meter: meter ? { windowStart: new Date(meter.windowStart * 1000), articles: meter.articleIds.length } : null,
    consents: consents.map((c) => ({ subscription: c.stripeSubscriptionId, terms: c.termsText, version: c.termsVersion, hash: c.termsHash, shownAt: c.shownAt, acceptedAt: c.acceptedAt })),
    grants: userGrants.map(({ grant, createdBy }) => ({
      id: grant.id,
      reason: grant.reason,
      startsAt: grant.startsAt,
      endsAt: grant.endsAt,
      revokedAt: grant.revokedAt,
      active: grantEntitlement(grant, now) !== null,
      createdBy,
    })),
    customerIds,
  };
}

function subscriptionLine(sub: SubscriptionRow, planName: string | null, now: Date, graceDays: number): ReaderDetail["subscriptions"][number] {
  return {
    id: sub.stripeSubscriptionId,
    plan: planName,
    status: sub.status,
    entitled: subscriptionEntitlement(sub, now, graceDays) !== null,
    stripePriceId: sub.stripePriceId,
    created: onOurClock(sub.stripeCreated, sub.clockOffsetSeconds),
    currentPeriodEnd: onOurClock(sub.currentPeriodEnd, sub.clockOffsetSeconds),
    cancelAtPeriodEnd: sub.cancelAtPeriodEnd,
    endedAt: onOurClock(sub.endedAt, sub.clockOffsetSeconds),
  };
}
