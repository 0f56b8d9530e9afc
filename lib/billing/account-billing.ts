import { desc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { grants, invoices, plans, subscriptions } from "@/db/schema";
import { env } from "@/lib/env";
import { customerIdFor } from "./customers";
import { grantEntitlement, subscriptionEntitlement } from "./entitlement";

/** What the account page shows about billing: our own shapes, no Stripe objects. */
export interface AccountBilling {
  subscription: {
    planName: string | null;
    status: string;
    entitled: boolean;
    renewsAt: Date | null;
    endsAt: Date | null;
    trialEndsAt: Date | null;
  } | null;
  grant: { reason: string; endsAt: Date | null } | null;
  invoices: Array<{ id: string; date: Date; amount: number; currency: string; status: string; url: string | null }>;
  hasCustomer: boolean;
}

const shift = (d: Date | null, seconds: number) => (d ? new Date(d.getTime() - seconds * 1000) : null);

export async function accountBilling(db: Db, userId: string, now = new Date()): Promise<AccountBilling> {
  const [latest] = await db
    .select({ sub: subscriptions, planName: plans.name })
    .from(subscriptions)
    .leftJoin(plans, eq(plans.id, subscriptions.planId))
    .where(eq(subscriptions.userId, userId))
    .orderBy(desc(subscriptions.stripeCreated))
    .limit(1);
  const customer = await customerIdFor(db, userId);
  const userGrants = await db.select().from(grants).where(eq(grants.userId, userId));
  const activeGrant = userGrants.find((g) => grantEntitlement(g, now));
  const rows = customer
    ? await db.select().from(invoices).where(eq(invoices.stripeCustomerId, customer)).orderBy(desc(invoices.stripeCreated)).limit(10)
    : [];
  let subscription: AccountBilling["subscription"] = null;
  if (latest) {
    const s = latest.sub;
    const right = subscriptionEntitlement(s, now, env().BILLING_GRACE_DAYS);
    const ending = s.cancelAtPeriodEnd || s.cancelAt !== null || s.status === "canceled";
    subscription = {
      planName: latest.planName,
      status: s.status,
      entitled: right !== null,
      // Dates are shown on our clock (a test clock's offset removed).
      renewsAt: !ending && (s.status === "active" || s.status === "trialing") ? shift(s.currentPeriodEnd, s.clockOffsetSeconds) : null,
      endsAt: ending ? shift(s.cancelAt ?? s.endedAt ?? s.currentPeriodEnd, s.clockOffsetSeconds) : null,
      trialEndsAt: s.status === "trialing" ? shift(s.trialEnd, s.clockOffsetSeconds) : null,
    };
  }
  return {
    subscription,
    grant: activeGrant ? { reason: activeGrant.reason, endsAt: activeGrant.endsAt } : null,
    invoices: rows.map((i) => ({ id: i.stripeInvoiceId, date: i.stripeCreated, amount: i.amountPaid || i.amountDue, currency: i.currency, status: i.status, url: i.hostedInvoiceUrl })),
    hasCustomer: customer !== null,
  };
}
