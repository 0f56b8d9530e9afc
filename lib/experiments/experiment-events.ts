import "server-only";
import { experimentEvents, type ExperimentEventType } from "@/db/schema";
import { batchedCounts } from "@/lib/jobs/batched-counts";

type Pending = { type: ExperimentEventType; variantId: number; count: number };

// One row per variant and kind a second (lib/jobs/batched-counts.ts), so the reading path never
// waits on this table.
const counts = batchedCounts<Pending>({
  name: "experimentEvents",
  keyOf: (e) => `${e.type}|${e.variantId}`,
  merge: (into, e) => void (into.count += e.count),
  maxKeys: 10_000,
  write: (tx, batch) => {
    const at = new Date();
    return tx.insert(experimentEvents).values(batch.map((e) => ({ ...e, at })));
  },
  // A variant deleted meanwhile fails the batch's foreign key: those counts have nowhere to go.
  // (drizzle wraps the driver's error: its message says "Failed query", the cause says why.)
  dropAfter: (error) => error instanceof Error && /foreign key/i.test(`${error.message} ${error.cause instanceof Error ? error.cause.message : ""}`),
});

export function recordExperimentEvent(type: ExperimentEventType, variantId: number): void {
  counts.add({ type, variantId, count: 1 });
}

/** Writes what is counted now (tests, and before a process exits). */
export const flushExperimentEvents = counts.flush;
