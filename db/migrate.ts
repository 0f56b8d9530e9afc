import "server-only";
import path from "node:path";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import type { Sql } from "postgres";
import type { Db } from "./client";

const migrationsFolder = path.join(process.cwd(), "db/migrations");
// Any constant works; it only has to be the same for every instance of the app.
const MIGRATION_LOCK_ID = 7_210_457_311;

export async function migrateEmbedded(db: Db): Promise<void> {
  await migratePglite(db as never, { migrationsFolder });
}

/**
 * Applies pending migrations under a session advisory lock held on a reserved connection:
 * two instances starting at once migrate one after the other, the second finds nothing to do.
 */
export async function migrateServer(db: Db, client: Sql): Promise<void> {
  const lockConnection = await client.reserve();
  try {
    await lockConnection`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
    try {
      await migratePostgres(db as never, { migrationsFolder });
    } finally {
      await lockConnection`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`;
    }
  } finally {
    lockConnection.release();
  }
}
