import "server-only";
import type Stripe from "stripe";
import { stripe } from "./stripe-client";

/** Every page of a Stripe list, through the SDK's auto-pagination. */
async function all<T>(list: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of list) out.push(item);
  return out;
}

/** What the money audit reads from Stripe, each list whole. */
export interface StripeForAudit {
  /** Every status, newest first, discounts expanded. */
  subscriptions: Stripe.Subscription[];
  /** Newest first, discounts expanded. */
  invoices: Stripe.Invoice[];
  customers: Stripe.Customer[];
  /** customer.subscription.updated events (the pauses; Stripe keeps events for 30 days). */
  subscriptionUpdates: Stripe.Event[];
  /** Invoice items not yet on an invoice (a discount taken back at settle time, billed next). */
  pendingInvoiceItems: Stripe.InvoiceItem[];
}

/** Reads Stripe's side of the money audit (the real API or the emulator, through the app's own client). */
export async function readStripeForAudit(): Promise<StripeForAudit> {
  const api = stripe();
  const [subscriptions, invoices, customers, subscriptionUpdates, pendingInvoiceItems] = await Promise.all([
    all(api.subscriptions.list({ status: "all", limit: 100, expand: ["data.discounts"] })),
    all(api.invoices.list({ limit: 100, expand: ["data.discounts"] })),
    all(api.customers.list({ limit: 100 })),
    all(api.events.list({ type: "customer.subscription.updated", limit: 100 })),
    all(api.invoiceItems.list({ pending: true, limit: 100 })),
  ]);
  return { subscriptions, invoices, customers, subscriptionUpdates, pendingInvoiceItems };
}
