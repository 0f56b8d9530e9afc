import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Queryable, Tx } from "@/db/client";
import { announceChange } from "@/lib/cache/invalidation";
import { cancellations, invoices, stripeCustomers, subscriptions, withdrawals, type SubscriptionRow } from "@/db/schema";
import type Stripe from "stripe";
import { CHECKOUT_METADATA_KEY } from "./checkout";
import { adoptCustomer } from "./customers";
import { planIdForPrice } from "./plan-for-price";
import { stripe } from "./stripe-client";
import { idOf, invoiceAttempt, invoiceCopy, nextClockOffset, SUBSCRIPTION_EXPAND, subscriptionCopy, type InvoiceAttempt, type InvoiceCopy } from "./stripe-rows";

/**
 * Makes our copy of a subscription match Stripe's current object. Run inside a transaction:
 * the advisory lock serialises pulls of one subscription, so the copy fetched last is the one
 * written last, whatever order the events that triggered them arrived in. (So this fetch, unlike
 * the others, happens with the transaction open.) What the row needs from our tables is read in
 * one statement after the fetch; a copy that changes nothing is not written (nor announced).
 */
export async function pullSubscriptionFromStripe(tx: Tx, subscriptionId: string, stripeNow: number | null): Promise<SubscriptionRow> {
  await lockSubscription(tx, subscriptionId);
  const current = await stripe().subscriptions.retrieve(subscriptionId, { expand: SUBSCRIPTION_EXPAND });
  const customerId = idOf(current.customer)!;
  const known = await knownFacts(tx, subscriptionId, customerId, current.items.data[0]?.price.id ?? "");
  const existing = known.existing;
  const copy = subscriptionCopy(current, nextClockOffset(existing?.clockOffsetSeconds, stripeNow));
  // A withdrawal (or an account deletion's cancel) recorded here and not yet carried out in Stripe: reading has ended already.
  const ended =
    (known.withdrawing || known.endingNow) && copy.status !== "canceled" && existing?.status === "canceled"
      ? { status: existing.status, canceledAt: existing.canceledAt, endedAt: existing.endedAt, cancelAtPeriodEnd: false }
      : {};
  const row: typeof subscriptions.$inferInsert = {
    ...copy,
    // A reader's cancel recorded here and not yet accepted by Stripe (it is asked again) still stands.
    cancelAtPeriodEnd: copy.cancelAtPeriodEnd || (known.cancelWaiting && copy.status !== "canceled"),
    ...ended,
    // Bought with an offer stays so after its discount ends (a typed code's is known only while it runs).
    offerId: copy.offerId ?? existing?.offerId ?? null,
    userId: known.owner ?? (await ownerOf(tx, current, customerId)),
    planId: known.planId,
    updatedAt: new Date(),
  };
  if (existing && sameRow(existing, row)) return existing;
  // The NOTIFY rides with the upsert (pipelined): it is delivered at commit either way.
  const announced = [...new Set([row.userId, existing?.userId])].filter((id): id is string => Boolean(id));
  const [[saved]] = await Promise.all([
    tx.insert(subscriptions).values(row).onConflictDoUpdate({ target: subscriptions.stripeSubscriptionId, set: row }).returning(),
    ...announced.map((userId) => announceChange(tx, "readers", userId)),
  ]);
  return saved!;
}

/** Our row of the subscription, whether a cancel or a withdrawal of it waits for Stripe, its customer's owner and its price's plan: one statement. */
async function knownFacts(tx: Tx, subscriptionId: string, customerId: string, priceId: string) {
  const waiting = tx
    .select({ id: cancellations.id })
    .from(cancellations)
    .where(and(eq(cancellations.stripeSubscriptionId, subscriptionId), eq(cancellations.state, "pending")));
  const endingNow = tx
    .select({ id: cancellations.id })
    .from(cancellations)
    .where(and(eq(cancellations.stripeSubscriptionId, subscriptionId), eq(cancellations.state, "pending"), eq(cancellations.atOnce, true)));
  const withdrawing = tx
    .select({ id: withdrawals.id })
    .from(withdrawals)
    .where(and(eq(withdrawals.stripeSubscriptionId, subscriptionId), eq(withdrawals.state, "pending")));
  const owner = tx.select({ userId: stripeCustomers.userId }).from(stripeCustomers).where(eq(stripeCustomers.stripeCustomerId, customerId));
  const [facts] = await tx
    .select({
      existing: subscriptions,
      cancelWaiting: sql<boolean>`exists (${waiting})`,
      withdrawing: sql<boolean>`exists (${withdrawing})`,
      endingNow: sql<boolean>`exists (${endingNow})`,
      owner: sql<string | null>`(${owner})`,
      planId: planIdForPrice(priceId),
    })
    .from(sql`(select 1) as one`)
    .leftJoin(subscriptions, eq(subscriptions.stripeSubscriptionId, subscriptionId));
  return facts!;
}

/** Whether writing `row` would change nothing in `existing` (its write time aside). */
function sameRow(existing: SubscriptionRow, row: typeof subscriptions.$inferInsert): boolean {
  return Object.entries(row).every(([column, value]) => {
    if (column === "updatedAt") return true;
    const stored: unknown = existing[column as keyof SubscriptionRow];
    if (value instanceof Date || stored instanceof Date) return value instanceof Date && stored instanceof Date && value.getTime() === stored.getTime();
    return (value ?? null) === (stored ?? null);
  });
}

/**
 * Serialises every writer of one subscription's row until the transaction ends (re-entrant).
 * Take it before touching the row by any other path, so two writers never wait on each other.
 * A transaction that holds it already asks nothing again.
 */
export async function lockSubscription(tx: Tx, subscriptionId: string): Promise<void> {
  const held = locksHeld.get(tx) ?? new Set<string>();
  if (held.has(subscriptionId)) return;
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${subscriptionId}))`);
  held.add(subscriptionId);
  locksHeld.set(tx, held);
}

/** The subscription locks each open transaction holds (they end with it; a savepoint's transaction object is its own, and locks again). */
const locksHeld = new WeakMap<Tx, Set<string>>();

/**
 * Whose subscription this is, when its customer is not linked to an account yet. One from our
 * Checkout waits for its checkout.session.completed, which decides the account (see
 * settle-checkout.ts); any other (made in Stripe's dashboard, a payment link) goes to the
 * account of its customer, so every paid subscription has an owner.
 */
async function ownerOf(tx: Tx, current: Stripe.Subscription, customerId: string): Promise<string | null> {
  if (current.metadata?.[CHECKOUT_METADATA_KEY]) return null;
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
