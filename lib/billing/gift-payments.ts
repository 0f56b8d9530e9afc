import "server-only";
import { eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { giftSubscriptions, type GiftSubscription } from "@/db/schema";
import { env } from "@/lib/env";
import { giftReceiptEmail } from "@/lib/mail/templates/gift-subscription";
import { recordBillingMail } from "./billing-mail-outbox";
import { formatMoney } from "./money";
import type { CheckoutSessionCopy } from "./stripe-rows";
import { stripe } from "./stripe-client";

/** Marks a Checkout session as a gift subscription's payment. */
export const GIFT_METADATA_KEY = "masthead_gift_subscription";

/**
 * One Checkout payment (mode `payment`: charged once, nothing renews) of an amount we priced,
 * for a gift subscription; the buyer's verified address is Checkout's, fixed.
 */
export async function createGiftCheckout(input: {
  buyer: { id: string; email: string };
  amount: number;
  currency: string;
  productName: string;
  description: string;
  successUrl: string;
  cancelUrl: string;
}): Promise<{ id: string; url: string }> {
  const session = await stripe().checkout.sessions.create({
    mode: "payment",
    line_items: [{ price_data: { currency: input.currency, unit_amount: input.amount, product_data: { name: input.productName } }, quantity: 1 }],
    customer_email: input.buyer.email,
    client_reference_id: input.buyer.id,
    metadata: { [GIFT_METADATA_KEY]: "1" },
    payment_intent_data: { description: input.description, metadata: { [GIFT_METADATA_KEY]: "1" } },
    success_url: input.successUrl,
    cancel_url: input.cancelUrl,
  });
  if (!session.url) throw new Error("Stripe returned a checkout session without a URL");
  return { id: session.id, url: session.url };
}

/** Refunds a gift's payment in full; one idempotency key per gift, so asking again never refunds twice. */
export async function refundGiftPayment(paymentIntentId: string, giftId: number): Promise<string> {
  const refund = await stripe().refunds.create({ payment_intent: paymentIntentId, reason: "requested_by_customer" }, { idempotencyKey: `gift-subscription-refund-${giftId}` });
  return refund.id;
}

export type GiftSettlement = { found: false } | { found: true; gift: GiftSubscription; mails: number };

/**
 * A gift's Checkout session as Stripe has it now (the webhook's refetch, or the return page's):
 * once it is complete and paid in full, the gift is paid (once; a replay changes nothing) and the
 * buyer's receipt is recorded. The success redirect alone never gets here without Stripe's copy.
 */
export async function settleGiftCheckout(tx: Tx, session: CheckoutSessionCopy, now: Date): Promise<GiftSettlement> {
  const [gift] = await tx.select().from(giftSubscriptions).where(eq(giftSubscriptions.stripeSessionId, session.id)).for("update");
  if (!gift) return { found: false };
  if (gift.paidAt || !session.complete || session.paymentStatus !== "paid" || !session.paymentIntentId) return { found: true, gift, mails: 0 };
  if (session.amountTotal !== gift.amount || session.currency !== gift.currency) {
    // Not what we priced: the gift stays unpaid (and reads nothing) until an admin looks.
    throw new Error(`Gift subscription #${gift.id}: Stripe charged ${session.amountTotal} ${session.currency}, expected ${gift.amount} ${gift.currency}`);
  }
  const [paid] = await tx
    .update(giftSubscriptions)
    .set({ paidAt: now, stripePaymentIntentId: session.paymentIntentId })
    .where(eq(giftSubscriptions.id, gift.id))
    .returning();
  const { SITE_NAME } = env();
  const recorded = await recordBillingMail(
    tx,
    `gift_subscription_receipt:${gift.id}`,
    gift.buyerUserId,
    giftReceiptEmail({ to: gift.buyerEmail, siteName: SITE_NAME, planName: gift.planName, months: gift.months, recipientEmail: gift.recipientEmail, paid: formatMoney(gift.amount, gift.currency), deliverOn: gift.deliverOn, giftId: gift.id }),
  );
  return { found: true, gift: paid!, mails: recorded ? 1 : 0 };
}
