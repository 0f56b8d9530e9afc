import "server-only";
import { and, eq, lte } from "drizzle-orm";
import type { Db } from "@/db/client";
import { cancellations, withdrawals } from "@/db/schema";

/**
 * The retention sweep's retries: the pending rows of `table` whose next attempt is due, oldest
 * first and at most 50 a pass, each asked of Stripe by `push`; how many it completed.
 */
export async function pushEachDue(db: Db, table: typeof cancellations | typeof withdrawals, push: (id: number) => Promise<string>, now: Date): Promise<number> {
  const due = await db
    .select({ id: table.id })
    .from(table)
    .where(and(eq(table.state, "pending"), lte(table.nextAttemptAt, now)))
    .orderBy(table.nextAttemptAt)
    .limit(50);
  let done = 0;
  for (const { id } of due) if ((await push(id)) === "done") done++;
  return done;
}
