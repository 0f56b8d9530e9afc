import "server-only";
import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { organisationReads } from "@/db/schema";

type Pending = { organisationId: number; userId: string | null; month: string; reads: number };

// Like the funnel (./funnel.ts): counted per process and added to the month's rows once a
// second, so a licensed read never waits on the database. Counts only: which article was read
// is never recorded, so no one (a manager included) can be shown it.
const state = ((globalThis as Record<symbol, unknown>)[Symbol.for("masthead.licenceReads")] ??= {
  pending: new Map<string, Pending>(),
  timer: null as NodeJS.Timeout | null,
}) as { pending: Map<string, Pending>; timer: NodeJS.Timeout | null };

const FLUSH_MS = 1_000;
const MAX_KEYS = 20_000;

/** The first day of `at`'s month (UTC), as the rows key it. */
export function monthOf(at: Date): string {
  return `${at.toISOString().slice(0, 7)}-01`;
}

/** One licensed read for the organisation; `userId` for a member's seat, null for a read from its IP ranges. */
export function recordLicensedRead(organisationId: number, userId: string | null, at = new Date()): void {
  add({ organisationId, userId, month: monthOf(at), reads: 1 });
}

function add(counted: Pending): void {
  const key = `${counted.organisationId}|${counted.month}|${counted.userId ?? ""}`;
  const entry = state.pending.get(key);
  if (entry) entry.reads += counted.reads;
  else if (state.pending.size < MAX_KEYS) state.pending.set(key, { ...counted });
  if (!state.timer) {
    state.timer = setTimeout(() => void flushLicensedReads(), FLUSH_MS);
    state.timer.unref();
  }
}

/** Adds what is counted to the month's rows, all or none; kept for the next flush when the database cannot take it. */
export async function flushLicensedReads(): Promise<void> {
  if (state.timer) clearTimeout(state.timer);
  state.timer = null;
  const batch = [...state.pending.values()];
  state.pending.clear();
  if (batch.length === 0) return;
  try {
    const db = await getDb();
    await db.transaction(async (tx) => {
      for (let i = 0; i < batch.length; i += 1_000) {
        // Counts for an organisation or account deleted since the read have nothing to count to: skipped.
        await tx.execute(sql`
          insert into ${organisationReads} (organisation_id, month, user_id, reads)
          select v.o, v.m::date, v.u, v.r from jsonb_to_recordset(${JSON.stringify(batch.slice(i, i + 1_000).map((p) => ({ o: p.organisationId, m: p.month, u: p.userId, r: p.reads })))}::jsonb)
            as v(o integer, m text, u text, r integer)
          where exists (select 1 from organisations where id = v.o) and (v.u is null or exists (select 1 from users where id = v.u))
          on conflict (organisation_id, month, user_id) do update set reads = ${organisationReads}.reads + excluded.reads`);
      }
    });
  } catch (error) {
    console.error(`Licensed reads kept for the next flush (${batch.length} rows): ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
    batch.forEach(add);
  }
}
