import "server-only";
/**
 * A plan-restricted discount never applies to a plan outside its list (docs/decisions/0024).
 * All plans are one Stripe product, so a coupon cannot say which prices it covers (Stripe's
 * `applies_to` names products), and Stripe keeps a subscription's discount when its price
 * changes. So when a subscription's price leaves an offer's plans (a switch in the billing
 * portal, or in Stripe's dashboard), that offer's discount is removed from it and the reader is
 * told. Other discounts stay. Run in the event's transaction, after the subscription is pulled from Stripe.
 */
import { eq, inArray } from "drizzle-orm";
import type Stripe from "stripe";
import type { Tx } from "@/db/client";
import { billingMails, offers, plans, users, type SubscriptionRow } from "@/db/schema";
import { env } from "@/lib/env";
import { discountRemovedEmail } from "@/lib/mail/templates/discount-removed";
import { mailTransport } from "@/lib/mail/transport";
import { stripe } from "./stripe-client";
import { idOf } from "./stripe-rows";
import { pullSubscriptionFromStripe } from "./pull-subscription";

export async function enforceOfferPlans(tx: Tx, sub: SubscriptionRow, stripeNow: number | null): Promise<{ subscription: SubscriptionRow; mails: number }> {
  // Only a discounted subscription on a plan we know can break the rule (the row says so without asking Stripe).
  if (sub.discountDuration === null || sub.planId === null || sub.status === "canceled") return { subscription: sub, mails: 0 };
  const current = await stripe().subscriptions.retrieve(sub.stripeSubscriptionId, { expand: ["discounts.source.coupon"] });
  const discounts = current.discounts.filter((d): d is Stripe.Discount => typeof d !== "string");
  const couponIds = discounts.map((d) => idOf(d.source.coupon)).filter((id): id is string => id !== null);
  if (couponIds.length === 0) return { subscription: sub, mails: 0 };
  const byCoupon = await tx.select().from(offers).where(inArray(offers.stripeCouponId, couponIds));
  const outside = byCoupon.filter((offer) => !offer.planIds.includes(sub.planId!));
  if (outside.length === 0) return { subscription: sub, mails: 0 };
  const removed = new Set(outside.map((o) => o.stripeCouponId));
  const kept = discounts.filter((d) => !removed.has(idOf(d.source.coupon)));
  await stripe().subscriptions.update(sub.stripeSubscriptionId, { discounts: kept.length > 0 ? kept.map((d) => ({ discount: d.id })) : "" });
  const pulled = await pullSubscriptionFromStripe(tx, sub.stripeSubscriptionId, stripeNow);
  let mails = 0;
  for (const offer of outside) if (await recordMail(tx, pulled, offer)) mails += 1;
  return { subscription: pulled, mails };
}

async function recordMail(tx: Tx, sub: SubscriptionRow, offer: typeof offers.$inferSelect): Promise<boolean> {
  if (!mailTransport() || !sub.userId) return false;
  const [owner] = await tx.select({ email: users.email }).from(users).where(eq(users.id, sub.userId));
  if (!owner?.email) return false;
  const named = await tx.select({ id: plans.id, name: plans.name }).from(plans).where(inArray(plans.id, [...offer.planIds, sub.planId!]));
  const { SITE_URL, SITE_NAME } = env();
  const mail = discountRemovedEmail({
    to: owner.email,
    siteName: SITE_NAME,
    offerName: offer.name,
    planName: named.find((p) => p.id === sub.planId)?.name ?? "your new plan",
    eligiblePlans: named.filter((p) => offer.planIds.includes(p.id)).map((p) => p.name),
    accountUrl: `${SITE_URL}/account`,
  });
  const recorded = await tx
    .insert(billingMails)
    .values({ key: `discount_removed:${sub.stripeSubscriptionId}:${offer.stripeCouponId}`, userId: sub.userId, content: { to: mail.to, subject: mail.subject, text: mail.text, html: mail.html } })
    .onConflictDoNothing()
    .returning({ key: billingMails.key });
  return recorded.length === 1;
}
