import { pushAllPlansToStripe } from "@/lib/billing/push-plans";
import { runWithDatabase } from "./cli/run-with-database";

// Creates or finds each plan's product and price in Stripe (the emulator or real Stripe). Idempotent.
await runWithDatabase(async ({ db }) => {
  for (const { plan, priceId } of await pushAllPlansToStripe(db)) console.log(`${plan}: ${priceId}`);
});
