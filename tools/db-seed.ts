import { seedIfEmpty } from "@/lib/startup/seed";
import { runWithDatabase } from "./cli/run-with-database";

await runWithDatabase(async ({ db }) => {
  const seeded = await seedIfEmpty(db);
  console.log(
    seeded.articles + seeded.plans > 0
      ? `Seeded ${seeded.articles} articles and ${seeded.plans} plans.`
      : "The database already has content; nothing seeded.",
  );
});
