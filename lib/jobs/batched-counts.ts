import "server-only";
import { getDb, type Tx } from "@/db/client";

const FLUSH_MS = 1_000;

/**
 * Counts kept per process and written once a second, all rows or none, so the reading path never
 * waits on the database and a busy site writes a handful of rows, not one per page view. When the
 * database cannot take them (it may be restarting) they are kept for the next flush; counting
 * never breaks reading. A process that exits loses at most its last second of counts. At most
 * `maxKeys` distinct keys wait at once (a flood of new keys is dropped, not kept in memory).
 */
export function batchedCounts<T>(options: {
  /** Names the process-wide state, so a module loaded twice (dev, tests) shares one batch. */
  name: string;
  keyOf: (item: T) => string;
  /** Adds `item`'s count to `into`'s (same key). */
  merge: (into: T, item: T) => void;
  maxKeys: number;
  /** Writes a batch of at most 1,000 items inside the flush's transaction. */
  write: (tx: Tx, batch: T[]) => Promise<unknown>;
  /** A failure after which the counts have nowhere to go (dropped, not kept for the next flush). */
  dropAfter?: (error: unknown) => boolean;
}): { add(item: T): void; flush(): Promise<void> } {
  const state = ((globalThis as Record<symbol, unknown>)[Symbol.for(`masthead.${options.name}`)] ??= {
    pending: new Map<string, T>(),
    timer: null as NodeJS.Timeout | null,
  }) as { pending: Map<string, T>; timer: NodeJS.Timeout | null };

  const add = (item: T) => {
    const key = options.keyOf(item);
    const entry = state.pending.get(key);
    if (entry) options.merge(entry, item);
    else if (state.pending.size < options.maxKeys) state.pending.set(key, { ...item });
    if (!state.timer) {
      state.timer = setTimeout(() => void flush(), FLUSH_MS);
      state.timer.unref();
    }
  };

  const flush = async () => {
    if (state.timer) clearTimeout(state.timer);
    state.timer = null;
    const batch = [...state.pending.values()];
    state.pending.clear();
    if (batch.length === 0) return;
    try {
      const db = await getDb();
      await db.transaction(async (tx) => {
        for (let i = 0; i < batch.length; i += 1_000) await options.write(tx, batch.slice(i, i + 1_000));
      });
    } catch (error) {
      if (options.dropAfter?.(error)) return;
      console.error(`${options.name}: counts kept for the next flush (${batch.length} rows): ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
      batch.forEach(add);
    }
  };

  return { add, flush };
}
