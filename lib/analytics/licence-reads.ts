import "server-only";
import { sql } from "drizzle-orm";
import { organisationReads } from "@/db/schema";
import { batchedCounts } from "@/lib/jobs/batched-counts";

type Pending = { organisationId: number; userId: string | null; month: string; reads: number };

// Counted per process and added to the month's rows once a second (lib/jobs/batched-counts.ts), so a
// licensed read never waits on the database. Counts only: which article was read is never
// recorded, so no one (a manager included) can be shown it.
const counts = batchedCounts<Pending>({
  name: "licenceReads",
  keyOf: (p) => `${p.organisationId}|${p.month}|${p.userId ?? ""}`,
  merge: (into, p) => void (into.reads += p.reads),
  maxKeys: 20_000,
  // Counts for an organisation or account deleted since the read have nothing to count to: skipped.
  write: (tx, batch) =>
    tx.execute(sql`
      insert into ${organisationReads} (organisation_id, month, user_id, reads)
      select v.o, v.m::date, v.u, v.r from jsonb_to_recordset(${JSON.stringify(batch.map((p) => ({ o: p.organisationId, m: p.month, u: p.userId, r: p.reads })))}::jsonb)
        as v(o integer, m text, u text, r integer)
      where exists (select 1 from organisations where id = v.o) and (v.u is null or exists (select 1 from users where id = v.u))
      on conflict (organisation_id, month, user_id) do update set reads = ${organisationReads}.reads + excluded.reads`),
});

/** The first day of `at`'s month (UTC), as the rows key it. */
export function monthOf(at: Date): string {
  return `${at.toISOString().slice(0, 7)}-01`;
}

/** One licensed read for the organisation; `userId` for a member's seat, null for a read from its IP ranges. */
export function recordLicensedRead(organisationId: number, userId: string | null, at = new Date()): void {
  counts.add({ organisationId, userId, month: monthOf(at), reads: 1 });
}

/** Writes what is counted now (tests, and before a process exits). */
export const flushLicensedReads = counts.flush;
