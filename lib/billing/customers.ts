import "server-only";
import { and, asc, eq } from "drizzle-orm";
import type { Db, Queryable } from "@/db/client";
import { announceChange } from "@/lib/cache/invalidation";
import { normalizeEmail } from "@/lib/auth/email-address";
import { stripeCustomers, stripeEvents, subscriptions, users } from "@/db/schema";
import { stripe } from "./stripe-client";

/** Every Stripe customer of a user, oldest first (one per anonymous purchase, or made in Stripe). */
export async function customerIdsFor(db: Db, userId: string): Promise<string[]> {
  const rows = await db
    .select({ id: stripeCustomers.stripeCustomerId })
    .from(stripeCustomers)
    .where(eq(stripeCustomers.userId, userId))
    .orderBy(asc(stripeCustomers.createdAt), asc(stripeCustomers.stripeCustomerId));
  return rows.map((r) => r.id);
}

/**
 * The customer a signed-in user's checkout uses: their oldest, or one created once. A crash
 * between Stripe's answer and our insert is healed by the idempotency key (same request, same
 * customer) and by searching our metadata.
 */
export async function ensureCustomer(db: Db, user: { id: string; email: string | null }): Promise<string> {
  const [existing] = await customerIdsFor(db, user.id);
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
 * Records that a Stripe customer is our user's, and attaches the subscriptions we already hold
 * for that customer: webhooks that arrived first are applied now, not dropped. A customer is
 * never moved from one user to another.
 */
export async function linkCustomer(db: Queryable, stripeCustomerId: string, userId: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.insert(stripeCustomers).values({ stripeCustomerId, userId }).onConflictDoNothing();
    const [row] = await tx.select().from(stripeCustomers).where(eq(stripeCustomers.stripeCustomerId, stripeCustomerId));
    if (row?.userId !== userId) return;
    await tx.update(subscriptions).set({ userId }).where(eq(subscriptions.stripeCustomerId, stripeCustomerId));
    await announceChange(tx, "readers", userId);
    await tx
      .update(stripeEvents)
      .set({ state: "processed", processedAt: new Date() })
      .where(and(eq(stripeEvents.stripeCustomerId, stripeCustomerId), eq(stripeEvents.state, "waiting_for_customer")));
  });
}

/** The user a Stripe customer belongs to, if we know. */
export async function userIdForCustomer(db: Queryable, stripeCustomerId: string): Promise<string | null> {
  const [row] = await db.select().from(stripeCustomers).where(eq(stripeCustomers.stripeCustomerId, stripeCustomerId));
  return row?.userId ?? null;
}

/**
 * The account for an email address, created if there is none. A created account is unverified:
 * whoever typed the address has proven nothing, so it gets no more than what was paid for until
 * the owner signs in with an emailed link. `created` says whether this call made it.
 */
export async function accountForEmail(db: Queryable, email: string): Promise<{ userId: string; created: boolean }> {
  const normalized = normalizeEmail(email);
  const [inserted] = await db.insert(users).values({ email: normalized }).onConflictDoNothing().returning({ id: users.id });
  if (inserted) return { userId: inserted.id, created: true };
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.email, normalized));
  return { userId: user!.id, created: false };
}

/**
 * Links a customer we have never seen to an account: the user named in its metadata (set by
 * ensureCustomer), else the account of its email (a customer made by hand in Stripe). Null when
 * Stripe has neither.
 */
export async function adoptCustomer(db: Queryable, stripeCustomerId: string): Promise<string | null> {
  const customer = await stripe().customers.retrieve(stripeCustomerId);
  if (customer.deleted) return null;
  const named = customer.metadata?.masthead_user_id;
  const [byMetadata] = named ? await db.select({ id: users.id }).from(users).where(eq(users.id, named)) : [];
  const userId = byMetadata?.id ?? (customer.email ? (await accountForEmail(db, customer.email)).userId : null);
  if (userId) await linkCustomer(db, stripeCustomerId, userId);
  return userId;
}
