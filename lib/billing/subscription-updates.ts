import "server-only";
import Stripe from "stripe";
import { stripe } from "./stripe-client";

/**
 * The changes our own pages make to a subscription in Stripe (the cancel flow's). Each is one
 * call; the caller pulls the subscription afterwards so our row shows Stripe's answer.
 */
export type CancellationFeedback = Stripe.SubscriptionUpdateParams.CancellationDetails.Feedback;

/** Ends the subscription when its paid period does, with the reader's reason when given. */
export async function cancelAtPeriodEndInStripe(subscriptionId: string, feedback: CancellationFeedback | null): Promise<void> {
  await stripe().subscriptions.update(subscriptionId, { cancel_at_period_end: true, ...(feedback ? { cancellation_details: { feedback } } : {}) });
}

/** Undoes a cancel at period end. */
export async function keepPastPeriodEndInStripe(subscriptionId: string): Promise<void> {
  await stripe().subscriptions.update(subscriptionId, { cancel_at_period_end: false });
}

/** Puts a coupon on the subscription (its only discount from then on). */
export async function applyCouponInStripe(subscriptionId: string, couponId: string): Promise<void> {
  await stripe().subscriptions.update(subscriptionId, { discounts: [{ coupon: couponId }] });
}

/** Voids the renewals until `resumesAt`. */
export async function pauseCollectionInStripe(subscriptionId: string, resumesAt: Date): Promise<void> {
  await stripe().subscriptions.update(subscriptionId, { pause_collection: { behavior: "void", resumes_at: Math.floor(resumesAt.getTime() / 1000) } });
}

/**
 * Whether Stripe refused a change for good (the request itself is wrong: a subscription it no
 * longer has, or one already ended), so asking again will not help. Anything else (no answer,
 * a 5xx, a rate limit) is worth asking again.
 */
export function refusedForGood(error: unknown): boolean {
  return error instanceof Stripe.errors.StripeInvalidRequestError;
}
