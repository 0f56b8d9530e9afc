import "server-only";
import { sql } from "drizzle-orm";
import { getDb } from "./client";

/**
 * Whether the database answers a query within `timeoutMs`. Opening it counts too: an unreachable
 * server can keep a connection attempt waiting far longer than a health check may take.
 */
export async function checkDatabase(timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  const query = (async () => {
    await (await getDb()).execute(sql`select 1`);
    return true;
  })().catch(() => false);
  try {
    return await Promise.race([query, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
