import type Stripe from "stripe";
import type { invoices, SubscriptionStatus, subscriptions } from "@/db/schema";
import { discountCopy } from "@/lib/offers/discount-copy";

// The boundary: Stripe's objects become our rows here, and nowhere else.

const date = (unix: number | null | undefined): Date | null => (unix ? new Date(unix * 1000) : null);

export function idOf(value: string | { id: string } | null | undefined): string | null {
  if (!value) return null;
  return typeof value === "string" ? value : value.id;
}

export type SubscriptionCopy = Omit<typeof subscriptions.$inferInsert, "userId" | "planId" | "updatedAt">;

/** Our copy of a subscription. In API 2026-10-28 the period lives on the subscription's item. */
export function subscriptionCopy(sub: Stripe.Subscription, clockOffsetSeconds: number): SubscriptionCopy {
  const item = sub.items.data[0];
  if (!item) throw new Error(`Subscription ${sub.id} has no items`);
  return {
    stripeSubscriptionId: sub.id,
    stripeCustomerId: idOf(sub.customer)!,
    status: sub.status as SubscriptionStatus,
    stripePriceId: item.price.id,
    currentPeriodStart: date(item.current_period_start),
    currentPeriodEnd: date(item.current_period_end),
    cancelAtPeriodEnd: sub.cancel_at_period_end,
    cancelAt: date(sub.cancel_at),
    canceledAt: date(sub.canceled_at),
    endedAt: date(sub.ended_at),
    trialEnd: date(sub.trial_end),
    stripeCreated: date(sub.created)!,
    clockOffsetSeconds,
    ...discountCopy(sub),
  };
}

export type InvoiceCopy = typeof invoices.$inferInsert;

/** Our copy of an invoice; its subscription is at parent.subscription_details in this API version. */
export function invoiceCopy(invoice: Stripe.Invoice): InvoiceCopy {
  const line = invoice.lines?.data[0];
  return {
    stripeInvoiceId: invoice.id!,
    stripeCustomerId: idOf(invoice.customer)!,
    stripeSubscriptionId: idOf(invoice.parent?.subscription_details?.subscription),
    status: invoice.status ?? "draft",
    amountDue: invoice.amount_due,
    amountPaid: invoice.amount_paid,
    currency: invoice.currency,
    periodStart: date(line?.period?.start ?? invoice.period_start),
    periodEnd: date(line?.period?.end ?? invoice.period_end),
    hostedInvoiceUrl: invoice.hosted_invoice_url ?? null,
    stripeCreated: date(invoice.created)!,
  };
}

/**
 * How far Stripe's clock is ahead of ours, from the time of something Stripe just did (an
 * event, a checkout session). Live Stripe is within seconds of us: read that as 0.
 */
export function clockOffsetFrom(stripeUnixNow: number, now = new Date()): number {
  // Rounded up: our reading of Stripe's clock is never behind the moment it reported.
  const offset = Math.ceil(stripeUnixNow - now.getTime() / 1000);
  return offset > 300 ? offset : 0;
}
