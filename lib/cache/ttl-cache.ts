import { approximateBytes } from "./approximate-bytes";
import { BoundedMap } from "./bounded-map";
import { forgetOn, whenListening, type CacheTopic } from "./invalidation";

/**
 * How long an entry may live when no change is announced. Every write announces its change in
 * its transaction (lib/cache/invalidation.ts), so this is only a safety net, for a NOTIFY lost
 * with a connection or a change made by hand in psql; it also bounds the memory of entries
 * nobody asks for again.
 */
export const SAFETY_TTL_MS = 5 * 60_000;

interface Entry<V> {
  value: Promise<V>;
  /** Set once the load succeeded. */
  settled?: { value: V };
  expires: number;
}

export interface TtlCache<K, V> {
  get(key: K, load: () => Promise<V>): Promise<V>;
}

/**
 * What a change on a topic forgets: `true`, everything; a test, the entries it says the change
 * (its key: an article id, a user id) affects. A change without a key forgets everything.
 */
type Affected<K, V> = true | ((changed: string, key: K, value: V) => boolean);

export interface TtlCacheOptions<K, V> {
  ttlMs?: number;
  /** Bounds on what one cache holds: beyond either, its oldest entries are dropped. */
  maxEntries?: number;
  /** Counted with approximateBytes once a value loads; a value alone bigger than this is not kept. */
  maxBytes?: number;
  /** An earlier end for one value (a session's expiry, the next scheduled publication). */
  expiresAt?: (value: V) => number | null;
  forgetOn: Partial<Record<CacheTopic, Affected<K, V>>>;
}

/**
 * A small in-process cache, shared by the proxy and app bundles through globalThis. Concurrent
 * loads of one key share a promise; failures are not cached. Nothing is served until this
 * process LISTENs for changes; an announced change forgets what it affects, on every instance,
 * when its transaction commits, along with any load under way (it may have read the old state).
 */
export function ttlCache<K, V>(name: string, options: TtlCacheOptions<K, V>): TtlCache<K, V> {
  const { ttlMs = SAFETY_TTL_MS, maxEntries = 5_000, maxBytes = 8 * 1_048_576, expiresAt } = options;
  const map = (registry()[name] ??= new BoundedMap<K, Entry<V>>(maxEntries, maxBytes)) as BoundedMap<K, Entry<V>>;
  forgetOn(
    name,
    Object.fromEntries(
      Object.entries(options.forgetOn).map(([topic, affected]) => [
        topic,
        (changed: string | null) => {
          if (changed === null || affected === true) return map.clear();
          for (const [k, entry] of map) if (!entry.settled || affected(changed, k, entry.settled.value)) map.delete(k);
        },
      ]),
    ),
  );
  return {
    async get(k, load) {
      await whenListening();
      const now = Date.now();
      const hit = map.get(k);
      if (hit && hit.expires > now) return hit.value;
      const entry: Entry<V> = { value: load(), expires: now + ttlMs };
      map.set(k, entry, ENTRY_BYTES);
      entry.value.then(
        (value) => {
          entry.settled = { value };
          entry.expires = Math.min(entry.expires, expiresAt?.(value) ?? Infinity);
          if (map.get(k) === entry) map.resize(k, ENTRY_BYTES + approximateBytes(value));
        },
        () => {
          if (map.get(k) === entry) map.delete(k);
        },
      );
      return entry.value;
    },
  };
}

/** The key, the entry and its promise, before the value is counted. */
const ENTRY_BYTES = 200;

function registry(): Record<string, BoundedMap<unknown, unknown>> {
  const g = globalThis as Record<symbol, Record<string, BoundedMap<unknown, unknown>> | undefined>;
  return (g[Symbol.for("masthead.caches")] ??= {});
}

/** Empties every cache in this process: for tests that switch databases. */
export function clearAllCaches(): void {
  for (const map of Object.values(registry())) map.clear();
}
