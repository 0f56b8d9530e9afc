import "server-only";
import { isNull } from "drizzle-orm";
import { billingConfigured } from "@/lib/billing/mode";
import { pushPlanToStripe } from "@/lib/billing/push-plans";
import { env } from "@/lib/env";
import { plans } from "@/db/schema";
import { getDb } from "@/db/client";
import { seedIfEmpty } from "./seed";

/**
 * Opens the database (which migrates it; a failure there stops the server) and seeds demo
 * content into an empty one (a failure there is logged: the site still serves).
 */
export async function prepareDatabase(): Promise<void> {
  const db = await getDb();
  if (env().SEED_DEMO_CONTENT) {
    try {
      const seeded = await seedIfEmpty(db);
      if (seeded.articles > 0) console.log(`Seeded ${seeded.articles} demo articles and ${seeded.plans} plans.`);
    } catch (error) {
      console.error("Seeding demo content failed:", error);
    }
  }
  if (billingConfigured()) {
    // A plan without a Stripe price cannot be bought; give it one (idempotent, like npm run stripe:push-plans).
    for (const plan of await db.select().from(plans).where(isNull(plans.stripePriceId))) {
      await pushPlanToStripe(db, plan).catch((error: unknown) => console.error(`Pushing plan ${plan.name} to Stripe failed:`, error));
    }
  }
}
