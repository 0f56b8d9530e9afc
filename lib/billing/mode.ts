import { env } from "@/lib/env";

/** True when the app talks to a Stripe-compatible server of our own (payments are emulated). */
export function paymentsEmulated(): boolean {
  return !!env().STRIPE_API_BASE;
}
