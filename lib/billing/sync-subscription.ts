import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { announceReaderChange } from "@/lib/access/reader-cache";
import { invoices, subscriptions, type SubscriptionRow } from "@/db/schema";
import { userIdForCustomer } from "./customers";
import { planIdForPrice } from "./plan-for-price";
import { stripe } from "./stripe-client";
import { clockOffsetFrom, invoiceCopy, subscriptionCopy } from "./stripe-shapes";

/**
 * Makes our copy of a subscription match Stripe's current object. Run inside a transaction:
 * the advisory lock serialises syncs of one subscription, so the copy fetched last is the one
 * written last, whatever order the events that triggered them arrived in.
 */
export async function syncSubscription(tx: Db, subscriptionId: string, stripeNow: number | null): Promise<SubscriptionRow> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${subscriptionId}))`);
  const current = await stripe().subscriptions.retrieve(subscriptionId);
  const [existing] = await tx.select().from(subscriptions).where(eq(subscriptions.stripeSubscriptionId, subscriptionId));
  const offset = Math.max(existing?.clockOffsetSeconds ?? 0, stripeNow === null ? 0 : clockOffsetFrom(stripeNow));
  const copy = subscriptionCopy(current, offset);
  const row = {
    ...copy,
    userId: await userIdForCustomer(tx, copy.stripeCustomerId),
    planId: await planIdForPrice(tx, copy.stripePriceId),
    updatedAt: new Date(),
  };
  const [saved] = await tx
    .insert(subscriptions)
    .values(row)
    .onConflictDoUpdate({ target: subscriptions.stripeSubscriptionId, set: row })
    .returning();
  for (const userId of new Set([saved!.userId, existing?.userId])) if (userId) await announceReaderChange(tx, userId);
  return saved!;
}

/** Our copy of an invoice, from Stripe's current object. */
export async function syncInvoice(tx: Db, invoiceId: string): Promise<{ subscriptionId: string | null }> {
  const current = await stripe().invoices.retrieve(invoiceId);
  const copy = invoiceCopy(current);
  await tx.insert(invoices).values(copy).onConflictDoUpdate({ target: invoices.stripeInvoiceId, set: copy });
  return { subscriptionId: copy.stripeSubscriptionId ?? null };
}
