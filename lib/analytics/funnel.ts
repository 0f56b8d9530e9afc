import "server-only";
import { getDb } from "@/db/client";
import { funnelEvents, type FunnelEventType } from "@/db/schema";

type Pending = { type: FunnelEventType; articleId: number | null; userId: string | null; count: number };

// Counted per process and written once a second as one row per kind, so the reading path never
// waits on this table and a busy site writes a handful of rows, not one per page view.
// A database outage delays them; a process that exits loses at most its last second of counts.
const state = ((globalThis as Record<symbol, unknown>)[Symbol.for("masthead.funnel")] ??= {
  pending: new Map<string, Pending>(),
  timer: null as NodeJS.Timeout | null,
}) as { pending: Map<string, Pending>; timer: NodeJS.Timeout | null };

const FLUSH_MS = 1_000;
const MAX_KINDS = 10_000;

export function recordFunnelEvent(type: FunnelEventType, detail: { articleId?: number; userId?: string } = {}): void {
  add({ type, articleId: detail.articleId ?? null, userId: detail.userId ?? null, count: 1 });
}

function add(counted: Pending): void {
  const key = `${counted.type}|${counted.articleId ?? ""}|${counted.userId ?? ""}`;
  const entry = state.pending.get(key);
  if (entry) entry.count += counted.count;
  else if (state.pending.size < MAX_KINDS) state.pending.set(key, { ...counted });
  if (!state.timer) {
    state.timer = setTimeout(() => void flushFunnelEvents(), FLUSH_MS);
    state.timer.unref();
  }
}

/**
 * Writes what is counted, all rows or none. When the database cannot take them (it may be
 * restarting) they are kept for the next flush; analytics never break reading.
 */
export async function flushFunnelEvents(): Promise<void> {
  state.timer = null;
  const batch = [...state.pending.values()];
  state.pending.clear();
  if (batch.length === 0) return;
  try {
    const db = await getDb();
    const at = new Date();
    await db.transaction(async (tx) => {
      for (let i = 0; i < batch.length; i += 1_000) await tx.insert(funnelEvents).values(batch.slice(i, i + 1_000).map((e) => ({ ...e, at })));
    });
  } catch (error) {
    console.error(`Funnel counts kept for the next flush (${batch.length} kinds): ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
    batch.forEach(add);
  }
}
