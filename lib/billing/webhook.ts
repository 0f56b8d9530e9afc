import "server-only";
import type Stripe from "stripe";
import { getDb } from "@/db/client";
import { processStripeEvent } from "./process-event";
import { billingConfigured } from "./mode";
import { stripe, webhookSecret } from "./stripe-client";

export interface WebhookAnswer {
  status: number;
  body: { received: boolean; outcome?: string; error?: string };
}

/**
 * A webhook delivery: verify the signature on the raw body (Stripe's default tolerance),
 * then process. Billing not configured: 503 (our fault, not the sender's; Stripe retries).
 * Bad signature: 400 and nothing changes. Failure while processing: 500, so Stripe retries.
 * Unknown event types: stored and 200.
 */
export async function receiveStripeWebhook(rawBody: string, signature: string | null): Promise<WebhookAnswer> {
  if (!billingConfigured()) return { status: 503, body: { received: false, error: "billing not configured" } };
  let event: Stripe.Event;
  try {
    event = stripe().webhooks.constructEvent(rawBody, signature ?? "", webhookSecret());
  } catch {
    return { status: 400, body: { received: false, error: "Invalid signature" } };
  }
  try {
    const outcome = await processStripeEvent(await getDb(), event);
    return { status: 200, body: { received: true, outcome } };
  } catch (error) {
    console.error(`Processing Stripe event ${event.id} (${event.type}) failed:`, error);
    return { status: 500, body: { received: false, error: "Processing failed; Stripe will retry" } };
  }
}
