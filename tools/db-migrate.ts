import { runWithDatabase } from "./cli/run-with-database";

// Opening the database applies pending migrations (under an advisory lock on PostgreSQL).
await runWithDatabase(async ({ engine }) => {
  console.log(`Migrations applied (${engine}).`);
});
