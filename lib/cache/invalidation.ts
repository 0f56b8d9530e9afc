import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { getDbHandle, type Db, type DbHandle } from "@/db/client";

/**
 * The one owner of cache invalidation, with one API on each side: a writer calls
 * `announceChange(tx, topic, key)` inside the transaction that makes the change; a cache
 * declares what each topic forgets (`ttlCache(name, { forgetOn })` in ./ttl-cache.ts). Nothing
 * else forgets a cache (lint bans next/cache's revalidation and the internals below outside
 * lib/cache). PostgreSQL delivers the NOTIFY to every LISTENing instance (this one included)
 * when the transaction commits, and never if it rolls back. PGlite runs the same code in-process.
 */
const CHANNEL = "masthead_cache";

export const cacheTopics = ["articles", "settings", "plans", "readers", "gifts", "newsletters", "offers", "organisations", "experiments", "segments"] as const;
export type CacheTopic = (typeof cacheTopics)[number];

/** Called with the change's key (an article id, a user id), or null when everything may have changed. */
export type Forget = (key: string | null) => void;

interface ChannelState {
  /** Each cache's forget handlers by cache name: the proxy and app bundles register the same names. */
  handlers: Map<string, Partial<Record<CacheTopic, Forget>>>;
  listeningOn: DbHandle | null;
  starting: { handle: DbHandle; done: Promise<void> } | null;
}

const state = ((globalThis as Record<symbol, unknown>)[Symbol.for("masthead.cacheChannel")] ??= {
  handlers: new Map(),
  listeningOn: null,
  starting: null,
}) as ChannelState;

/**
 * Call inside the committing transaction. `key` narrows the change (an article id for
 * "articles", a user id for "readers"); without it, every cached entry of the topic goes.
 */
export async function announceChange(db: Db, topic: CacheTopic, key?: string | number): Promise<void> {
  await db.execute(sql`select pg_notify(${CHANNEL}, ${key === undefined ? topic : `${topic}:${key}`})`);
}

/** Registers what a cache forgets on each topic (idempotent by cache name). For ttl-cache.ts only. */
export function forgetOn(cacheName: string, handlers: Partial<Record<CacheTopic, Forget>>): void {
  state.handlers.set(cacheName, handlers);
}

/**
 * Resolves once this process LISTENs on the current database handle (one LISTEN per handle).
 * Caches await it before serving anything: an entry is only trusted while the changes that
 * would forget it can be heard. Every cache starts empty on a new handle.
 */
export async function whenListening(): Promise<void> {
  const handle = await getDbHandle();
  if (state.listeningOn === handle) return;
  if (state.starting?.handle !== handle) {
    const done = handle.listen(CHANNEL, heard, forgetEverything).then(() => void (state.listeningOn = handle));
    state.starting = { handle, done };
    // A failed LISTEN (the database is down) is tried again by the next request.
    done.catch(() => {
      if (state.starting?.done === done) state.starting = null;
    });
  }
  await state.starting!.done;
}

const topicSchema = z.enum(cacheTopics);

function heard(payload: string): void {
  const at = payload.indexOf(":");
  const topic = topicSchema.safeParse(at === -1 ? payload : payload.slice(0, at));
  // A payload we do not understand (say, a newer release's topic): forget everything.
  if (!topic.success) return forgetEverything();
  const key = at === -1 ? null : payload.slice(at + 1) || null;
  for (const handlers of state.handlers.values()) handlers[topic.data]?.(key);
}

function forgetEverything(): void {
  for (const handlers of state.handlers.values()) for (const forget of Object.values(handlers)) forget(null);
}
