import "server-only";
import { getDb } from "@/db/client";
import { experimentEvents, type ExperimentEventType } from "@/db/schema";

type Pending = { type: ExperimentEventType; variantId: number; count: number };

// Counted per process and written once a second as one row per variant and kind (like the
// funnel's counts), so the reading path never waits on this table.
const state = ((globalThis as Record<symbol, unknown>)[Symbol.for("masthead.experimentEvents")] ??= {
  pending: new Map<string, Pending>(),
  timer: null as NodeJS.Timeout | null,
}) as { pending: Map<string, Pending>; timer: NodeJS.Timeout | null };

const FLUSH_MS = 1_000;
const MAX_KINDS = 10_000;

export function recordExperimentEvent(type: ExperimentEventType, variantId: number): void {
  add({ type, variantId, count: 1 });
}

function add(counted: Pending): void {
  const key = `${counted.type}|${counted.variantId}`;
  const entry = state.pending.get(key);
  if (entry) entry.count += counted.count;
  else if (state.pending.size < MAX_KINDS) state.pending.set(key, { ...counted });
  if (!state.timer) {
    state.timer = setTimeout(() => void flushExperimentEvents(), FLUSH_MS);
    state.timer.unref();
  }
}

/** Writes what is counted, all or none; kept for the next flush when the database cannot take them. */
export async function flushExperimentEvents(): Promise<void> {
  state.timer = null;
  const batch = [...state.pending.values()];
  state.pending.clear();
  if (batch.length === 0) return;
  try {
    const db = await getDb();
    const at = new Date();
    await db.insert(experimentEvents).values(batch.map((e) => ({ ...e, at })));
  } catch (error) {
    // A variant deleted meanwhile fails the batch's foreign key: those counts have nowhere to go.
    if (error instanceof Error && /foreign key/i.test(error.message)) return;
    console.error(`Experiment counts kept for the next flush (${batch.length} kinds): ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
    batch.forEach(add);
  }
}
