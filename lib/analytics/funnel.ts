import "server-only";
import { funnelEvents, type FunnelEventType } from "@/db/schema";
import { batchedCounts } from "@/lib/jobs/batched-counts";

type Pending = { type: FunnelEventType; articleId: number | null; userId: string | null; count: number };

// One row per kind a second (lib/jobs/batched-counts.ts), not one per page view.
const counts = batchedCounts<Pending>({
  name: "funnel",
  keyOf: (e) => `${e.type}|${e.articleId ?? ""}|${e.userId ?? ""}`,
  merge: (into, e) => void (into.count += e.count),
  maxKeys: 10_000,
  write: (tx, batch) => {
    const at = new Date();
    return tx.insert(funnelEvents).values(batch.map((e) => ({ ...e, at })));
  },
});

export function recordFunnelEvent(type: FunnelEventType, detail: { articleId?: number; userId?: string } = {}): void {
  counts.add({ type, articleId: detail.articleId ?? null, userId: detail.userId ?? null, count: 1 });
}

/** Writes what is counted now (tests, and before a process exits). */
export const flushFunnelEvents = counts.flush;
