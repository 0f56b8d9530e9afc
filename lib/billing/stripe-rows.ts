import { sql, type SQL } from "drizzle-orm";
import type Stripe from "stripe";
import { type invoices, type SubscriptionStatus, subscriptions } from "@/db/schema";
import { onOurClock } from "@/lib/access/subscription-facts";
import { OFFER_METADATA_KEY } from "./checkout-metadata";

// The boundary: Stripe's objects become our rows here, and nowhere else. Dates are stored as
// Stripe gave them, with the subscription's clock offset beside them (a test clock runs ahead of
// ours; the dashboard's indexes are built on that pair). onOurClock, and its SQL twin
// onOurClockUtc, is the one way onto our clock: the entitlement and every page use it.

// The entitlement's facts and the clock shift live with the entitlement rules (lib/access).
export { onOurClock, subscriptionFactColumns, type SubscriptionFacts } from "@/lib/access/subscription-facts";

const date = (unix: number | null | undefined): Date | null => (unix ? new Date(unix * 1000) : null);

export function idOf(value: string | { id: string } | null | undefined): string | null {
  if (!value) return null;
  return typeof value === "string" ? value : value.id;
}

/** A subscription's row, from Stripe; its owner and plan are ours to decide (pull-subscription.ts). */
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
    paidThrough: unpaidPeriodStart(sub),
    ...discountAndPause(sub),
  };
}

/**
 * Where the paid days ended when the current period's invoice will never be paid: voided or
 * marked uncollectible (a pause), or a draft while collection is paused. Status stays "active"
 * through all of it, so this, not the status, says the period is not backed by a payment.
 */
function unpaidPeriodStart(sub: Stripe.Subscription): Date | null {
  const latest = typeof sub.latest_invoice === "object" ? sub.latest_invoice : null;
  const unpaid = latest
    ? latest.status === "void" || latest.status === "uncollectible" || (latest.status === "draft" && sub.pause_collection !== null)
    : false;
  return unpaid ? date(sub.items.data[0]?.current_period_start) : null;
}

function offerIdIn(metadata: Stripe.Metadata | null | undefined): number | null {
  const id = Number(metadata?.[OFFER_METADATA_KEY]);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

/** What `pullSubscriptionFromStripe` expands: the coupon behind the discount, and whether the current period was paid. */
export const SUBSCRIPTION_EXPAND = ["discounts.source.coupon", "latest_invoice"];

/**
 * The discount in force (Stripe's first one; percent in basis points as Stripe allows 33.5 %),
 * the offer the subscription was bought with (metadata our Checkout sets) and its paused
 * collection. Dates stay on Stripe's clock like the row's others.
 */
function discountAndPause(sub: Stripe.Subscription) {
  const discount = sub.discounts.find((d): d is Stripe.Discount => typeof d !== "string");
  const coupon = discount && typeof discount.source.coupon === "object" ? discount.source.coupon : null;
  const base = {
    // Our Checkout names the offer; a code typed at Checkout is known by its coupon's metadata
    // (a coupon applied without a code, as a retention offer is, is not how it was bought).
    offerId: offerIdIn(sub.metadata) ?? (discount?.promotion_code ? offerIdIn(coupon?.metadata) : null),
    collectionPaused: sub.pause_collection !== null,
    pausedUntil: date(sub.pause_collection?.resumes_at ?? null),
  };
  if (!discount || !coupon) {
    return { ...base, discountPercentBp: null, discountAmountOff: null, discountDuration: null, discountStart: null, discountEnd: null };
  }
  const duration: "once" | "repeating" | "forever" = coupon.duration === "repeating" ? "repeating" : coupon.duration === "forever" ? "forever" : "once";
  return {
    ...base,
    discountPercentBp: coupon.percent_off !== null ? Math.round(coupon.percent_off * 100) : null,
    discountAmountOff: coupon.percent_off === null ? coupon.amount_off : null,
    discountDuration: duration,
    discountStart: date(discount.start),
    discountEnd: date(discount.end),
  };
}


export type InvoiceCopy = typeof invoices.$inferInsert;
type InvoiceRow = typeof invoices.$inferSelect;

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

/** Which collection attempt an invoice is at, and why it was billed: what a failed-payment mail is decided on. */
export interface InvoiceAttempt {
  attemptCount: number;
  billingReason: Stripe.Invoice.BillingReason | null;
}

export const invoiceAttempt = (invoice: Stripe.Invoice): InvoiceAttempt => ({ attemptCount: invoice.attempt_count, billingReason: invoice.billing_reason });

/** What a finished checkout tells us, in our terms. */
export interface CheckoutSessionCopy {
  id: string;
  complete: boolean;
  customerId: string | null;
  subscriptionId: string | null;
  /** The address typed at Checkout (or passed to it): proves nothing about who typed it. */
  email: string | null;
  /** When Stripe made it, on Stripe's clock (unix seconds). */
  stripeCreated: number;
  /** `payment` for a one-off payment (a gift subscription), `subscription` for a plan. */
  mode: Stripe.Checkout.Session.Mode;
  paymentStatus: Stripe.Checkout.Session.PaymentStatus;
  paymentIntentId: string | null;
  amountTotal: number | null;
  currency: string | null;
}

export function checkoutSessionCopy(session: Stripe.Checkout.Session): CheckoutSessionCopy {
  return {
    id: session.id,
    complete: session.status === "complete",
    customerId: idOf(session.customer),
    subscriptionId: idOf(session.subscription),
    email: session.customer_details?.email ?? session.customer_email ?? null,
    stripeCreated: session.created,
    mode: session.mode,
    paymentStatus: session.payment_status,
    paymentIntentId: idOf(session.payment_intent),
    amountTotal: session.amount_total,
    currency: session.currency,
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

/**
 * A subscription's offset after a pull: a test clock only moves forward, so the largest seen
 * stands (a pull on our own clock, `stripeNow` null, keeps it).
 */
export function nextClockOffset(storedSeconds: number | undefined, stripeNow: number | null): number {
  return Math.max(storedSeconds ?? 0, stripeNow === null ? 0 : clockOffsetFrom(stripeNow));
}


/**
 * onOurClock in SQL, for a subscription row's instant, as a UTC timestamp: immutable, so it is
 * the very expression of the our-clock indexes in db/schema.ts (keep the two alike).
 */
export const onOurClockUtc = (instant: SQL) => sql`((${instant} at time zone 'UTC') - ${subscriptions.clockOffsetSeconds} * interval '1 second')`;

/** An invoice as we show it, on our clock: its offset is its subscription's (0 without one). */
export function invoiceOnOurClock(invoice: InvoiceRow, clockOffsetSeconds: number | null): InvoiceRow {
  const offset = clockOffsetSeconds ?? 0;
  return {
    ...invoice,
    periodStart: onOurClock(invoice.periodStart, offset),
    periodEnd: onOurClock(invoice.periodEnd, offset),
    stripeCreated: onOurClock(invoice.stripeCreated, offset),
  };
}
