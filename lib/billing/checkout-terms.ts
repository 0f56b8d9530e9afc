import "server-only";
/**
 * A checkout's terms, judged again when it settles, for the account that ends up owning the
 * subscription (docs/decisions/0023 and 0024). A signed-in reader was judged before Checkout;
 * an anonymous one is known only now, and two tabs can race past the first check. Whatever is
 * found, the reader gets less, never more, and is told by mail (the billing outbox):
 * - a live subscription already on the account: the new one is canceled at once if nothing was
 *   paid (a trial), else it will not renew (0023), and loses an offer as below;
 * - a trial on an account that has had one: the trial ends now and the period is billed;
 * - a new-customers-only offer on an account that has subscribed before: its discount is removed,
 *   and what it took off the payment at Checkout is added to the next invoice (an invoice item,
 *   not discountable; Stripe charges a pending item at the period's end if the subscription ends then), so the offer gives this account nothing; the same for any offer the account
 *   has taken before (an offer is taken once per account), and its trial ends now.
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
import { hasTakenOffer, isNewCustomer, mayHaveTrial } from "./eligibility";
import { formatMoney } from "./money";
import { stripe } from "./stripe-client";
import { pullSubscriptionFromStripe } from "./pull-subscription";

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
  let addedBack: { amount: number; currency: string } | null = null;
  if (reasons.includes("duplicate_canceled")) {
    if (subscription.status !== "canceled") await stripe().subscriptions.cancel(id);
  } else {
    const change: Stripe.SubscriptionUpdateParams = {};
    if (reasons.includes("duplicate_ends") && !subscription.cancelAtPeriodEnd) change.cancel_at_period_end = true;
    const offerVoid = reasons.includes("not_new_customer") || reasons.includes("offer_taken");
    if ((reasons.includes("trial_used") || offerVoid) && subscription.status === "trialing") change.trial_end = "now";
    if (offerVoid && subscription.discountDuration !== null) {
      addedBack = await addBackDiscountGiven(subscription);
      change.discounts = "";
    }
    if (Object.keys(change).length > 0) await stripe().subscriptions.update(id, { ...change, proration_behavior: "none" });
  }
  const pulled = await pullSubscriptionFromStripe(tx, id, stripeNow);
  const addedToNext = addedBack ? formatMoney(addedBack.amount, addedBack.currency) : null;
  return { subscription: pulled, reasons, mails: (await recordMail(tx, id, ownerUserId, reasons, addedToNext)) ? 1 : 0 };
}

/**
 * What the discount took off the subscription's paid invoices so far (the first, at Checkout),
 * added to its next invoice. The idempotency key makes a retried settlement add it once.
 */
async function addBackDiscountGiven(sub: SubscriptionRow): Promise<{ amount: number; currency: string } | null> {
  const id = sub.stripeSubscriptionId;
  const paid = (await stripe().invoices.list({ subscription: id, status: "paid", limit: 10 })).data;
  const given = paid.reduce((sum, invoice) => sum + (invoice.total_discount_amounts ?? []).reduce((s, d) => s + d.amount, 0), 0);
  const currency = paid[0]?.currency;
  if (given <= 0 || !currency) return null;
  await stripe().invoiceItems.create(
    { customer: sub.stripeCustomerId, subscription: id, amount: given, currency, description: "New-subscriber discount on your first payment: this address has subscribed before", discountable: false },
    { idempotencyKey: `masthead-offer-difference-${id}` },
  );
  return { amount: given, currency };
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
  if (others.length > 0 && sub.status === "trialing") return ["duplicate_canceled"];
  // A paid second one keeps its period but not an offer the account may not have (two tabs with one offer).
  const reasons: CheckoutTermsReason[] = others.length > 0 ? ["duplicate_ends"] : [];
  const before = { stripeSubscriptionId: sub.stripeSubscriptionId, stripeCreated: sub.stripeCreated };
  if (sub.trialEnd !== null && !(await mayHaveTrial(tx, ownerUserId, sub.planId, before))) reasons.push("trial_used");
  if (sub.offerId !== null) {
    const [offer] = await tx.select({ newCustomersOnly: offers.newCustomersOnly }).from(offers).where(eq(offers.id, sub.offerId));
    if (offer?.newCustomersOnly && !(await isNewCustomer(tx, ownerUserId, before))) reasons.push("not_new_customer");
    else if (offer && (await hasTakenOffer(tx, ownerUserId, sub.offerId, before))) reasons.push("offer_taken");
  }
  return reasons;
}

/** The one mail telling the owner, recorded once per subscription (nothing without a mail server, as billing-mail.ts). */
async function recordMail(tx: Tx, subscriptionId: string, ownerUserId: string, reasons: CheckoutTermsReason[], addedToNext: string | null): Promise<boolean> {
  if (!mailTransport()) return false;
  const [owner] = await tx.select({ email: users.email }).from(users).where(eq(users.id, ownerUserId));
  if (!owner?.email) return false;
  const { SITE_URL, SITE_NAME } = env();
  const mail = checkoutTermsEmail({ to: owner.email, siteName: SITE_NAME, reasons, addedToNext, accountUrl: `${SITE_URL}/account` });
  const recorded = await tx
    .insert(billingMails)
    .values({ key: `checkout_terms:${subscriptionId}`, userId: ownerUserId, content: { to: mail.to, subject: mail.subject, text: mail.text, html: mail.html } })
    .onConflictDoNothing()
    .returning({ key: billingMails.key });
  return recorded.length === 1;
}
