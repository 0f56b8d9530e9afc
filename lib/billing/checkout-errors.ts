import "server-only";
import Stripe from "stripe";

/** Why Stripe refused an offer's discount at Checkout, in the offer page's words. */
export type DiscountRefusal = "new_customers_only" | "exhausted" | "ended";

/**
 * Stripe's own check of an offer's coupon (redemptions, end date) or promotion code (first-time
 * customers), read from the error starting a checkout threw; null for any other error.
 */
export function discountRefusal(error: unknown): DiscountRefusal | null {
  if (!(error instanceof Stripe.errors.StripeInvalidRequestError && error.param?.startsWith("discounts"))) return null;
  return /prior transactions/.test(error.message) ? "new_customers_only" : /fully redeemed/.test(error.message) ? "exhausted" : "ended";
}
