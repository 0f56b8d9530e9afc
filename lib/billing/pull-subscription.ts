import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Queryable, Tx } from "@/db/client";
import { announceChange } from "@/lib/cache/invalidation";
import { cancellations, invoices, subscriptions, withdrawals, type SubscriptionRow } from "@/db/schema";
import type Stripe from "stripe";
import { CHECKOUT_METADATA_KEY } from "./checkout";
import { adoptCustomer, userIdForCustomer } from "./customers";
import { planIdForPrice } from "./plan-for-price";
import { stripe } from "./stripe-client";
import { invoiceAttempt, invoiceCopy, nextClockOffset, SUBSCRIPTION_EXPAND, subscriptionCopy, type InvoiceAttempt, type InvoiceCopy } from "./stripe-rows";

/**
 * Makes our copy of a subscription match Stripe's current object. Run inside a transaction:
 * the advisory lock serialises pulls of one subscription, so the copy fetched last is the one
 * written last, whatever order the events that triggered them arrived in. (So this fetch, unlike
 * the others, happens with the transaction open.)
 */
export async function pullSubscriptionFromStripe(tx: Tx, subscriptionId: string, stripeNow: number | null): Promise<SubscriptionRow> {
  await lockSubscription(tx, subscriptionId);
  const current = await stripe().subscriptions.retrieve(subscriptionId, { expand: SUBSCRIPTION_EXPAND });
  const [existing] = await tx.select().from(subscriptions).where(eq(subscriptions.stripeSubscriptionId, subscriptionId));
  const copy = subscriptionCopy(current, nextClockOffset(existing?.clockOffsetSeconds, stripeNow));
  // A reader's cancel recorded here and not yet accepted by Stripe (it is asked again) still stands.
  const [waiting] = await tx
    .select({ id: cancellations.id })
    .from(cancellations)
    .where(and(eq(cancellations.stripeSubscriptionId, subscriptionId), eq(cancellations.state, "pending")));
  // A withdrawal recorded here and not yet carried out in Stripe: reading has ended already.
  const [withdrawing] = await tx
    .select({ id: withdrawals.id })
    .from(withdrawals)
    .where(and(eq(withdrawals.stripeSubscriptionId, subscriptionId), eq(withdrawals.state, "pending")));
  const ended = withdrawing !== undefined && copy.status !== "canceled" && existing?.status === "canceled" ? { status: existing.status, canceledAt: existing.canceledAt, endedAt: existing.endedAt, cancelAtPeriodEnd: false } : {};
  const row: typeof subscriptions.$inferInsert = {
    ...copy,
    cancelAtPeriodEnd: copy.cancelAtPeriodEnd || (waiting !== undefined && copy.status !== "canceled"),
    ...ended,
    // Bought with an offer stays so after its discount ends (a typed code's is known only while it runs).
    offerId: copy.offerId ?? existing?.offerId ?? null,
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
export async function lockSubscription(tx: Tx, subscriptionId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${subscriptionId}))`);
}

/**
 * Whose subscription this is. One from our Checkout waits for its checkout.session.completed,
 * which decides the account (see settle-checkout.ts); any other (made in Stripe's dashboard,
 * a payment link) goes to the account of its customer, so every paid subscription has an owner.
 */
async function ownerOf(tx: Tx, current: Stripe.Subscription, customerId: string): Promise<string | null> {
  const known = await userIdForCustomer(tx, customerId);
  if (known || current.metadata?.[CHECKOUT_METADATA_KEY]) return known;
  return adoptCustomer(tx, customerId);
}

/** Stripe's current invoice, as our row: fetched before any transaction opens (nothing to lock). */
export async function fetchInvoice(invoiceId: string): Promise<InvoiceCopy> {
  return (await fetchInvoiceForEvent(invoiceId)).copy;
}

/** The same, with the collection attempt an invoice event's billing mail is decided on. */
export async function fetchInvoiceForEvent(invoiceId: string): Promise<{ copy: InvoiceCopy; attempt: InvoiceAttempt }> {
  const invoice = await stripe().invoices.retrieve(invoiceId);
  return { copy: invoiceCopy(invoice), attempt: invoiceAttempt(invoice) };
}

/** Writes our copy of an invoice (one statement: in a transaction or not). */
export async function saveInvoice(db: Queryable, copy: InvoiceCopy): Promise<void> {
  await db.insert(invoices).values(copy).onConflictDoUpdate({ target: invoices.stripeInvoiceId, set: copy });
}
