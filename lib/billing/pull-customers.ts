import "server-only";
import type { Db } from "@/db/client";
import { customerIdsFor } from "./customers";
import { stripe } from "./stripe-client";
import { fetchInvoice, saveInvoice, pullSubscriptionFromStripe } from "./pull-subscription";

/** Refreshes our copies of every customer's subscriptions and recent invoices of a user from Stripe (after the portal). */
export async function pullCustomersFromStripe(db: Db, userId: string): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  for (const customer of await customerIdsFor(db, userId)) {
    const subs = await stripe().subscriptions.list({ customer, status: "all", limit: 20 });
    for (const sub of subs.data) await db.transaction((tx) => pullSubscriptionFromStripe(tx, sub.id, now));
    const recent = await stripe().invoices.list({ customer, limit: 10 });
    for (const invoice of recent.data) if (invoice.id) await saveInvoice(db, await fetchInvoice(invoice.id));
  }
}
