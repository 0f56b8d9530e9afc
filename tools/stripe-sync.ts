import { syncAllPlans } from "@/lib/billing/sync-plans";
import { runWithDatabase } from "./cli/run-with-database";

// Creates or finds each plan's product and price in Stripe (the emulator or real Stripe). Idempotent.
await runWithDatabase(async ({ db }) => {
  for (const { plan, priceId } of await syncAllPlans(db)) console.log(`${plan}: ${priceId}`);
});
