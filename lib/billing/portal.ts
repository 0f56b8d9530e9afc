import type { Db } from "@/db/client";
import { customerIdFor } from "./customers";
import { stripe } from "./stripe-client";

export class NoCustomerError extends Error {
  constructor() {
    super("There is no subscription to manage yet.");
    this.name = "NoCustomerError";
  }
}

/** A billing portal session for the user's own customer: taken from our database, never from a request. */
export async function createPortalUrl(db: Db, userId: string, returnUrl: string): Promise<string> {
  const customer = await customerIdFor(db, userId);
  if (!customer) throw new NoCustomerError();
  const session = await stripe().billingPortal.sessions.create({ customer, return_url: returnUrl });
  return session.url;
}
