import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { announceChange } from "@/lib/cache/invalidation";
import { SUBSCRIPTION_DISCOUNT_EXPAND } from "@/lib/offers/discount-copy";
import { invoices, subscriptions, type SubscriptionRow } from "@/db/schema";
import type Stripe from "stripe";
import { CHECKOUT_METADATA_KEY } from "./checkout";
import { adoptCustomer, userIdForCustomer } from "./customers";
import { planIdForPrice } from "./plan-for-price";
import { stripe } from "./stripe-client";
import { clockOffsetFrom, invoiceCopy, subscriptionCopy } from "./stripe-shapes";

/**
 * Makes our copy of a subscription match Stripe's current object. Run inside a transaction:
 * the advisory lock serialises syncs of one subscription, so the copy fetched last is the one
 * written last, whatever order the events that triggered them arrived in.
 */
export async function syncSubscription(tx: Db, subscriptionId: string, stripeNow: number | null): Promise<SubscriptionRow> {
  await lockSubscription(tx, subscriptionId);
  const current = await stripe().subscriptions.retrieve(subscriptionId, { expand: SUBSCRIPTION_DISCOUNT_EXPAND });
  const [existing] = await tx.select().from(subscriptions).where(eq(subscriptions.stripeSubscriptionId, subscriptionId));
  const offset = Math.max(existing?.clockOffsetSeconds ?? 0, stripeNow === null ? 0 : clockOffsetFrom(stripeNow));
  const copy = subscriptionCopy(current, offset);
  const row = {
    ...copy,
    userId: await ownerOf(tx, current, copy.stripeCustomerId),
    planId: await planIdForPrice(tx, copy.stripePriceId),
    updatedAt: new Date(),
  };
  const [saved] = await tx
    .insert(subscriptions)
    .values(row)
    .onConflictDoUpdate({ target: subscriptions.stripeSubscriptionId, set: row })
    .returning();
  for (const userId of new Set([saved!.userId, existing?.userId])) if (userId) await announceChange(tx, "readers", userId);
  return saved!;
}

/**
 * Serialises every writer of one subscription's row until the transaction ends (re-entrant).
 * Take it before touching the row by any other path, so two writers never wait on each other.
 */
export async function lockSubscription(tx: Db, subscriptionId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${subscriptionId}))`);
}

/**
 * Whose subscription this is. One from our Checkout waits for its checkout.session.completed,
 * which decides the account (see complete-checkout.ts); any other (made in Stripe's dashboard,
 * a payment link) goes to the account of its customer, so every paid subscription has an owner.
 */
async function ownerOf(tx: Db, current: Stripe.Subscription, customerId: string): Promise<string | null> {
  const known = await userIdForCustomer(tx, customerId);
  if (known || current.metadata?.[CHECKOUT_METADATA_KEY]) return known;
  return adoptCustomer(tx, customerId);
}

/** Our copy of an invoice, from Stripe's current object. */
export async function syncInvoice(tx: Db, invoiceId: string): Promise<{ subscriptionId: string | null }> {
  const current = await stripe().invoices.retrieve(invoiceId);
  const copy = invoiceCopy(current);
  await tx.insert(invoices).values(copy).onConflictDoUpdate({ target: invoices.stripeInvoiceId, set: copy });
  return { subscriptionId: copy.stripeSubscriptionId ?? null };
}
