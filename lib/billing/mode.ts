import { env } from "@/lib/env";

/** True when the app talks to a Stripe-compatible server of our own (payments are emulated). */
export function paymentsEmulated(): boolean {
  return !!env().STRIPE_API_BASE;
}

/** True when Stripe's keys are set (without them there is nothing to sell or reconcile). */
export function billingConfigured(): boolean {
  const e = env();
  return !!(e.STRIPE_SECRET_KEY && e.STRIPE_WEBHOOK_SECRET);
}
