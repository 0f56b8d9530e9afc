import { getDb } from "@/db/client";
import { funnelEvents, type FunnelEventType } from "@/db/schema";

type Pending = { type: FunnelEventType; articleId: number | null; userId: string | null; count: number };

// Counted per process and written once a second as one row per kind, so the reading path never
// waits on this table and a busy site writes a handful of rows, not one per page view.
const state = ((globalThis as Record<symbol, unknown>)[Symbol.for("masthead.funnel")] ??= {
  pending: new Map<string, Pending>(),
  timer: null as NodeJS.Timeout | null,
}) as { pending: Map<string, Pending>; timer: NodeJS.Timeout | null };

const FLUSH_MS = 1_000;
const MAX_KINDS = 10_000;

export function recordFunnelEvent(type: FunnelEventType, detail: { articleId?: number; userId?: string } = {}): void {
  const articleId = detail.articleId ?? null;
  const userId = detail.userId ?? null;
  const key = `${type}|${articleId ?? ""}|${userId ?? ""}`;
  const entry = state.pending.get(key);
  if (entry) entry.count++;
  else if (state.pending.size < MAX_KINDS) state.pending.set(key, { type, articleId, userId, count: 1 });
  if (!state.timer) {
    state.timer = setTimeout(() => void flushFunnelEvents(), FLUSH_MS);
    state.timer.unref();
  }
}

/** Writes what is counted; failures are logged and dropped (analytics never break reading). */
export async function flushFunnelEvents(): Promise<void> {
  state.timer = null;
  const batch = [...state.pending.values()];
  state.pending.clear();
  if (batch.length === 0) return;
  try {
    const db = await getDb();
    const at = new Date();
    for (let i = 0; i < batch.length; i += 1_000) await db.insert(funnelEvents).values(batch.slice(i, i + 1_000).map((e) => ({ ...e, at })));
  } catch (error) {
    console.error(`Dropped ${batch.length} funnel counts:`, error);
  }
}
