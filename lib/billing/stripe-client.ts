import "server-only";
import Stripe from "stripe";
import { env } from "@/lib/env";

let client: { key: string; stripe: Stripe } | undefined;

export class BillingNotConfiguredError extends Error {
  constructor() {
    super("Billing is not configured: set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET.");
    this.name = "BillingNotConfiguredError";
  }
}

/**
 * The Stripe SDK, from env. STRIPE_API_BASE (the emulator) becomes the SDK's host, port and
 * protocol; the same code talks to real Stripe when it is unset.
 */
export function stripe(): Stripe {
  const { STRIPE_SECRET_KEY, STRIPE_API_BASE } = env();
  if (!STRIPE_SECRET_KEY) throw new BillingNotConfiguredError();
  if (client?.key !== `${STRIPE_SECRET_KEY}|${STRIPE_API_BASE ?? ""}`) {
    const base = STRIPE_API_BASE ? new URL(STRIPE_API_BASE) : null;
    client = {
      key: `${STRIPE_SECRET_KEY}|${STRIPE_API_BASE ?? ""}`,
      stripe: new Stripe(STRIPE_SECRET_KEY, {
        maxNetworkRetries: 2,
        timeout: 15_000,
        appInfo: { name: "Masthead" },
        ...(base
          ? {
              host: base.hostname,
              port: Number(base.port || (base.protocol === "https:" ? 443 : 80)),
              protocol: base.protocol === "https:" ? "https" : "http",
            }
          : {}),
      }),
    };
  }
  return client.stripe;
}

export function webhookSecret(): string {
  const secret = env().STRIPE_WEBHOOK_SECRET;
  if (!secret) throw new BillingNotConfiguredError();
  return secret;
}
