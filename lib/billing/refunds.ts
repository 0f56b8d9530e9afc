import "server-only";
import { stripe } from "./stripe-client";

/**
 * What a withdrawal (and an account deletion) asks of Stripe: end the subscription now (no proration, no final invoice),
 * and refund part or all of the payment of one invoice. Both are safe to ask again: an ended
 * subscription is left as it is, and a refund is made under an idempotency key and found again
 * by its metadata, so a retry never refunds twice.
 */

/** Ends the subscription at once; nothing when Stripe has ended it already. */
export async function endSubscriptionNowInStripe(subscriptionId: string, comment = "Withdrawal from the contract"): Promise<void> {
  const current = await stripe().subscriptions.retrieve(subscriptionId);
  if (current.status === "canceled" || current.status === "incomplete_expired") return;
  await stripe().subscriptions.cancel(subscriptionId, { cancellation_details: { comment } });
}

/** The PaymentIntent that paid the invoice (its default payment), or null. */
async function paymentIntentOf(invoiceId: string): Promise<string | null> {
  const payments = await stripe().invoicePayments.list({ invoice: invoiceId, status: "paid", limit: 10 });
  const paid = payments.data.find((p) => p.is_default) ?? payments.data[0];
  const intent = paid?.payment.payment_intent;
  return typeof intent === "string" ? intent : (intent?.id ?? null);
}

/**
 * Refunds `amount` of the invoice's payment, once per `key` (our withdrawal's id); the refund's
 * id. Throws when the invoice has no payment to refund.
 */
export async function refundInvoicePaymentInStripe(input: { invoiceId: string; amount: number; key: string }): Promise<string> {
  const intent = await paymentIntentOf(input.invoiceId);
  if (!intent) throw new Error(`Invoice ${input.invoiceId} has no payment to refund`);
  const earlier = await stripe().refunds.list({ payment_intent: intent, limit: 100 });
  const made = earlier.data.find((r) => r.metadata?.masthead_withdrawal === input.key && r.status !== "failed" && r.status !== "canceled");
  if (made) return made.id;
  const refund = await stripe().refunds.create(
    { payment_intent: intent, amount: input.amount, reason: "requested_by_customer", metadata: { masthead_withdrawal: input.key } },
    { idempotencyKey: `masthead-withdrawal-${input.key}` },
  );
  return refund.id;
}
