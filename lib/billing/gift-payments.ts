import "server-only";
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
