import "server-only";
import { and, eq, isNotNull } from "drizzle-orm";
import type Stripe from "stripe";
import type { Db } from "@/db/client";
import { checkoutAttempts } from "@/db/schema";
import { html, type SafeHtml } from "@/lib/ui/html";
import { accountSubscription, subscriptionsWithPlan } from "./account-billing";
import { billingDay } from "./billing-day";
import { formatMoney } from "./money";
import { stripe } from "./stripe-client";
import { idOf } from "./stripe-rows";

/**
 * Set by the return from Checkout, read by the next page the reader sees, then deleted: the
 * receipt is shown once. It holds only the checkout's id; the receipt is shown to the signed-in
 * owner of that checkout alone, so the cookie (unsigned) proves and reveals nothing.
 */
export const RECEIPT_COOKIE = "masthead_receipt";
export const RECEIPT_COOKIE_MAX_AGE = 10 * 60;

export interface Receipt {
  planName: string;
  /** What the first invoice took today (0 for a free trial). */
  paid: { amount: number; currency: string } | null;
  next: { amount: number; currency: string; on: Date } | null;
  trialEndsAt: Date | null;
  /** Where Stripe sends the receipt. */
  sentTo: string | null;
}

/** The receipt of a finished checkout, for its owner only; null for anyone else or an unknown checkout. */
export async function checkoutReceipt(db: Db, checkoutSessionId: string, userId: string, now = new Date()): Promise<Receipt | null> {
  if (!/^cs_[A-Za-z0-9_]{8,200}$/.test(checkoutSessionId)) return null;
  const [attempt] = await db
    .select({ id: checkoutAttempts.stripeSessionId })
    .from(checkoutAttempts)
    .where(and(eq(checkoutAttempts.stripeSessionId, checkoutSessionId), eq(checkoutAttempts.ownerUserId, userId), isNotNull(checkoutAttempts.completedAt)));
  if (!attempt) return null;
  const session = await stripe().checkout.sessions.retrieve(checkoutSessionId);
  const subscriptionId = idOf(session.subscription);
  if (!subscriptionId) return null;
  const [row] = (await subscriptionsWithPlan(db, userId)).filter((r) => r.sub.stripeSubscriptionId === subscriptionId);
  if (!row) return null;
  const sub = accountSubscription(row, now);
  // Stripe is the source of truth for what was charged: the subscription's first invoice.
  const stripeSub = await stripe().subscriptions.retrieve(subscriptionId, { expand: ["latest_invoice"] });
  const invoice = typeof stripeSub.latest_invoice === "object" ? (stripeSub.latest_invoice as Stripe.Invoice | null) : null;
  return {
    planName: sub.planName ?? "your subscription",
    paid: invoice ? { amount: invoice.amount_paid, currency: invoice.currency } : null,
    next: sub.nextPayment,
    trialEndsAt: sub.trialEndsAt,
    sentTo: invoice?.customer_email ?? session.customer_details?.email ?? null,
  };
}

/** The banner the reader sees once, at the top of the page they return to. */
export function receiptBanner(receipt: Receipt): SafeHtml {
  const money = (m: { amount: number; currency: string }) => formatMoney(m.amount, m.currency);
  return html`<section class="receipt-banner" role="status" aria-labelledby="receipt-title" data-receipt>
  <h2 id="receipt-title" class="receipt-banner__title">Thank you: you now subscribe to ${receipt.planName}</h2>
  <p>${receipt.paid ? html`Paid today: <strong>${money(receipt.paid)}</strong>${receipt.trialEndsAt ? html` (free trial until ${billingDay(receipt.trialEndsAt)})` : ""}.` : ""}
  ${receipt.next ? html`Next payment: <strong>${money(receipt.next)}</strong> on ${billingDay(receipt.next.on)}, renewing until you cancel.` : ""}
  ${receipt.sentTo ? html`Your receipt is on its way to <strong>${receipt.sentTo}</strong>.` : ""}
  <a href="/account">Manage your subscription</a></p>
</section>`;
}
