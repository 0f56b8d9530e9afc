import { env } from "@/lib/env";
import { getDb } from "./client";
import { seedIfEmpty } from "./seed/seed";

/**
 * Opens the database (which migrates it; a failure there stops the server) and seeds demo
 * content into an empty one (a failure there is logged: the site still serves).
 */
export async function prepareDatabase(): Promise<void> {
  const db = await getDb();
  if (!env().SEED_DEMO_CONTENT) return;
  try {
    const seeded = await seedIfEmpty(db);
    if (seeded.articles > 0) console.log(`Seeded ${seeded.articles} demo articles and ${seeded.plans} plans.`);
  } catch (error) {
    console.error("Seeding demo content failed:", error);
  }
}
