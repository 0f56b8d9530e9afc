import { getDb } from "@/db/client";
import { funnelEvents, type FunnelEventType } from "@/db/schema";

type Pending = { type: FunnelEventType; at: Date; articleId: number | null; userId: string | null };

// Buffered per process and written in batches, so the reading path never waits on this table.
const state = ((globalThis as Record<symbol, unknown>)[Symbol.for("masthead.funnel")] ??= {
  queue: [] as Pending[],
  timer: null as NodeJS.Timeout | null,
}) as { queue: Pending[]; timer: NodeJS.Timeout | null };

const FLUSH_MS = 1_000;
const MAX_QUEUE = 10_000;

export function recordFunnelEvent(type: FunnelEventType, detail: { articleId?: number; userId?: string } = {}): void {
  if (state.queue.length >= MAX_QUEUE) return; // A stuck database must not grow memory without bound.
  state.queue.push({ type, at: new Date(), articleId: detail.articleId ?? null, userId: detail.userId ?? null });
  if (!state.timer) {
    state.timer = setTimeout(() => void flushFunnelEvents(), FLUSH_MS);
    state.timer.unref();
  }
}

/** Writes what is buffered; failures are logged and dropped (analytics never break reading). */
export async function flushFunnelEvents(): Promise<void> {
  state.timer = null;
  const batch = state.queue.splice(0, state.queue.length);
  if (batch.length === 0) return;
  try {
    const db = await getDb();
    for (let i = 0; i < batch.length; i += 1_000) await db.insert(funnelEvents).values(batch.slice(i, i + 1_000));
  } catch (error) {
    console.error(`Dropped ${batch.length} funnel events:`, error);
  }
}
