import { prepareDatabase } from "@/lib/startup/prepare-database";
import { env } from "@/lib/env";

/**
 * What a server instance does once when it starts, before it answers anything (instrumentation.ts):
 * check the environment (naming any bad variable), migrate (serialised across instances) and seed
 * an empty database.
 */
export async function startServerInstance(): Promise<void> {
  try {
    env();
    await prepareDatabase();
  } catch (error) {
    // `next start` would log this, report ready and fail every request after; a production server stops instead.
    if (process.env.NODE_ENV !== "production") throw error;
    console.error(`Masthead cannot start. ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
