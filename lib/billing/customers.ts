import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { announceReaderChange } from "@/lib/access/reader-cache";
import { stripeCustomers, stripeEvents, subscriptions, users } from "@/db/schema";
import { stripe } from "./stripe-client";

/** Our user's Stripe customer id, if they have one. */
export async function customerIdFor(db: Db, userId: string): Promise<string | null> {
  const [row] = await db.select().from(stripeCustomers).where(eq(stripeCustomers.userId, userId));
  return row?.stripeCustomerId ?? null;
}

/**
 * The user's Stripe customer, created once. A crash between Stripe's answer and our insert is
 * healed by the idempotency key (same request, same customer) and by searching our metadata.
 */
export async function ensureCustomer(db: Db, user: { id: string; email: string | null }): Promise<string> {
  const existing = await customerIdFor(db, user.id);
  if (existing) return existing;
  const found = await stripe().customers.search({ query: `metadata['masthead_user_id']:'${user.id}'`, limit: 1 });
  const customer =
    found.data[0] ??
    (await stripe().customers.create(
      { email: user.email ?? undefined, metadata: { masthead_user_id: user.id } },
      { idempotencyKey: `masthead-customer-${user.id}` },
    ));
  await linkCustomer(db, customer.id, user.id);
  return customer.id;
}

/**
 * Records that a Stripe customer is our user (unique both ways), and attaches the subscriptions
 * we already hold for that customer: webhooks that arrived first are applied now, not dropped.
 */
export async function linkCustomer(db: Db, stripeCustomerId: string, userId: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.insert(stripeCustomers).values({ stripeCustomerId, userId }).onConflictDoNothing();
    const [row] = await tx.select().from(stripeCustomers).where(eq(stripeCustomers.stripeCustomerId, stripeCustomerId));
    if (row?.userId !== userId) return; // Already someone else's: never move a customer between users.
    await tx.update(subscriptions).set({ userId }).where(eq(subscriptions.stripeCustomerId, stripeCustomerId));
    await announceReaderChange(tx as unknown as Db, userId);
    await tx
      .update(stripeEvents)
      .set({ state: "processed", processedAt: new Date() })
      .where(and(eq(stripeEvents.stripeCustomerId, stripeCustomerId), eq(stripeEvents.state, "waiting_for_customer")));
  });
}

/** The user a Stripe customer belongs to, if we know. */
export async function userIdForCustomer(db: Db, stripeCustomerId: string): Promise<string | null> {
  const [row] = await db.select().from(stripeCustomers).where(eq(stripeCustomers.stripeCustomerId, stripeCustomerId));
  return row?.userId ?? null;
}

/** Finds or creates the account for an email address (checkout without signing in first). */
export async function findOrCreateUserByEmail(db: Db, email: string): Promise<string> {
  const normalized = email.trim().toLowerCase();
  await db.insert(users).values({ email: normalized, emailVerified: new Date() }).onConflictDoNothing();
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.email, normalized));
  return user!.id;
}
