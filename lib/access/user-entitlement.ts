import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { grants, subscriptions } from "@/db/schema";
import type { Entitlement } from "./reader";
import { env } from "@/lib/env";
import { entitlementFor } from "./entitlement";

/** A user's entitlement now, from our copies of their subscriptions and their grants. */
export async function loadEntitlement(db: Db, userId: string, now = new Date()): Promise<Entitlement | null> {
  const [subs, userGrants] = await Promise.all([
    db.select().from(subscriptions).where(eq(subscriptions.userId, userId)),
    db.select().from(grants).where(eq(grants.userId, userId)),
  ]);
  return entitlementFor(subs, userGrants, now, env().BILLING_GRACE_DAYS);
}
