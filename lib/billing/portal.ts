import "server-only";
import { and, desc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { subscriptions } from "@/db/schema";
import { customerIdsFor } from "./customers";
import { portalConfigurationFor } from "./portal-configuration";
import { stripe } from "./stripe-client";

export class NoCustomerError extends Error {
  constructor() {
    super("There is no subscription to manage yet.");
    this.name = "NoCustomerError";
  }
}

/**
 * A billing portal session for one of the user's own customers, taken from our database, never
 * from a request: the customer of `subscriptionId` when it is theirs, else of their latest
 * subscription, else their oldest customer. While a plan-restricted offer's discount runs, the
 * session offers only that offer's prices (portal-configuration.ts).
 */
export async function createPortalUrl(db: Db, userId: string, returnUrl: string, subscriptionId?: string): Promise<string> {
  const [sub] = await db
    .select({ customer: subscriptions.stripeCustomerId })
    .from(subscriptions)
    .where(and(eq(subscriptions.userId, userId), subscriptionId ? eq(subscriptions.stripeSubscriptionId, subscriptionId) : undefined))
    .orderBy(desc(subscriptions.stripeCreated))
    .limit(1);
  if (subscriptionId && !sub) throw new NoCustomerError();
  const customer = sub?.customer ?? (await customerIdsFor(db, userId))[0];
  if (!customer) throw new NoCustomerError();
  const configuration = await portalConfigurationFor(db, customer);
  const session = await stripe().billingPortal.sessions.create({ customer, return_url: returnUrl, ...(configuration ? { configuration } : {}) });
  return session.url;
}
