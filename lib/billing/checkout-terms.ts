import "server-only";
/**
 * A checkout's terms, judged again when it settles, for the account that ends up owning the
 * subscription (docs/decisions/0023 and 0024). A signed-in reader was judged before Checkout;
 * an anonymous one is known only now, and two tabs can race past the first check. Whatever is
 * found, the reader gets less, never more, and is told by mail (the billing outbox):
 * - a live subscription already on the account: the new one is canceled at once if nothing was
 *   paid (a trial), else it will not renew (0023);
 * - a trial on an account that has had one: the trial ends now and the period is billed;
 * - a new-customers-only offer on an account that has subscribed before: its discount is removed.
 * Stripe is called only when its state still differs, so a replay or the other settle path
 * changes nothing and records no second mail (the mail's key is the subscription's).
 */
import { and, eq, inArray, isNull, ne } from "drizzle-orm";
import type Stripe from "stripe";
import type { Tx } from "@/db/client";
import { billingMails, offers, subscriptions, users, type SubscriptionRow } from "@/db/schema";
import { env } from "@/lib/env";
import { checkoutTermsEmail, type CheckoutTermsReason } from "@/lib/mail/templates/checkout-terms";
import { mailTransport } from "@/lib/mail/transport";
import { isNewCustomer, mayHaveTrial } from "./eligibility";
import { stripe } from "./stripe-client";
import { syncSubscription } from "./sync-subscription";

export interface CheckoutTerms {
  subscription: SubscriptionRow;
  reasons: CheckoutTermsReason[];
  /** Billing mails recorded (0 or 1), to deliver after the commit. */
  mails: number;
}

export async function enforceCheckoutTerms(tx: Tx, subscription: SubscriptionRow, ownerUserId: string, stripeNow: number | null): Promise<CheckoutTerms> {
  const reasons = await reasonsFor(tx, subscription, ownerUserId);
  if (reasons.length === 0) return { subscription, reasons, mails: 0 };
  const id = subscription.stripeSubscriptionId;
  if (reasons.includes("duplicate_canceled")) {
    if (subscription.status !== "canceled") await stripe().subscriptions.cancel(id);
  } else {
    const change: Stripe.SubscriptionUpdateParams = {};
    if (reasons.includes("duplicate_ends") && !subscription.cancelAtPeriodEnd) change.cancel_at_period_end = true;
    if (reasons.includes("trial_used") && subscription.status === "trialing") change.trial_end = "now";
    if (reasons.includes("not_new_customer") && subscription.discountDuration !== null) change.discounts = "";
    if (Object.keys(change).length > 0) await stripe().subscriptions.update(id, { ...change, proration_behavior: "none" });
  }
  const synced = await syncSubscription(tx, id, stripeNow);
  return { subscription: synced, reasons, mails: (await recordMail(tx, id, ownerUserId, reasons)) ? 1 : 0 };
}

async function reasonsFor(tx: Tx, sub: SubscriptionRow, ownerUserId: string): Promise<CheckoutTermsReason[]> {
  if (sub.status === "incomplete" || sub.status === "incomplete_expired" || sub.status === "canceled") return [];
  // Another live subscription that is not already ending: this one is the accidental second.
  const others = await tx
    .select({ id: subscriptions.stripeSubscriptionId })
    .from(subscriptions)
    .where(
      and(
        eq(subscriptions.userId, ownerUserId),
        ne(subscriptions.stripeSubscriptionId, sub.stripeSubscriptionId),
        // Paying or trialing: a past-due one may end in dunning, and the new one is then its fix.
        inArray(subscriptions.status, ["trialing", "active"]),
        eq(subscriptions.cancelAtPeriodEnd, false),
        isNull(subscriptions.cancelAt),
      ),
    )
    .limit(1);
  // (The first one's own replay finds this one already ending, so exactly one keeps renewing.)
  // A trial has charged nothing yet: cancel it outright.
  if (others.length > 0) return [sub.status === "trialing" ? "duplicate_canceled" : "duplicate_ends"];
  const before = { stripeSubscriptionId: sub.stripeSubscriptionId, stripeCreated: sub.stripeCreated };
  const reasons: CheckoutTermsReason[] = [];
  if (sub.trialEnd !== null && !(await mayHaveTrial(tx, ownerUserId, sub.planId, before))) reasons.push("trial_used");
  if (sub.offerId !== null) {
    const [offer] = await tx.select({ newCustomersOnly: offers.newCustomersOnly }).from(offers).where(eq(offers.id, sub.offerId));
    if (offer?.newCustomersOnly && !(await isNewCustomer(tx, ownerUserId, before))) reasons.push("not_new_customer");
  }
  return reasons;
}

/** The one mail telling the owner, recorded once per subscription (nothing without a mail server, as billing-mail.ts). */
async function recordMail(tx: Tx, subscriptionId: string, ownerUserId: string, reasons: CheckoutTermsReason[]): Promise<boolean> {
  if (!mailTransport()) return false;
  const [owner] = await tx.select({ email: users.email }).from(users).where(eq(users.id, ownerUserId));
  if (!owner?.email) return false;
  const { SITE_URL, SITE_NAME } = env();
  const mail = checkoutTermsEmail({ to: owner.email, siteName: SITE_NAME, reasons, accountUrl: `${SITE_URL}/account` });
  const recorded = await tx
    .insert(billingMails)
    .values({ key: `checkout_terms:${subscriptionId}`, userId: ownerUserId, content: { to: mail.to, subject: mail.subject, text: mail.text, html: mail.html } })
    .onConflictDoNothing()
    .returning({ key: billingMails.key });
  return recorded.length === 1;
}
