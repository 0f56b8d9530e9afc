import "server-only";
import type { SQL } from "drizzle-orm";
import type { Queryable } from "@/db/client";

/** The rows of a raw query on either engine (PGlite answers `{ rows }`, postgres.js an array). */
export async function rowsOf<T>(db: Queryable, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
