interface Entry<V> {
  value: Promise<V>;
  expires: number;
}

export interface TtlCache<K, V> {
  get(key: K, load: () => Promise<V>): Promise<V>;
  delete(key: K): void;
  clear(): void;
}

/**
 * A small in-process cache with a time-to-live, shared by the proxy and app bundles through
 * globalThis. Concurrent loads of one key share a promise; failures are not cached. The TTL
 * bounds how stale another instance's change can look.
 */
export function ttlCache<K, V>(name: string, ttlMs: number, maxEntries = 5_000): TtlCache<K, V> {
  const map = (registry()[name] ??= new Map<K, Entry<V>>()) as Map<K, Entry<V>>;
  return {
    get(k, load) {
      const now = Date.now();
      const hit = map.get(k);
      if (hit && hit.expires > now) return hit.value;
      if (map.size >= maxEntries) map.clear();
      const value = load();
      map.set(k, { value, expires: now + ttlMs });
      value.catch(() => {
        if (map.get(k)?.value === value) map.delete(k);
      });
      return value;
    },
    delete: (k) => void map.delete(k),
    clear: () => map.clear(),
  };
}

function registry(): Record<string, Map<unknown, unknown>> {
  const g = globalThis as Record<symbol, Record<string, Map<unknown, unknown>> | undefined>;
  return (g[Symbol.for("masthead.caches")] ??= {});
}

/** Empties every cache in this process: for tests that switch databases. */
export function clearAllCaches(): void {
  for (const map of Object.values(registry())) map.clear();
}
