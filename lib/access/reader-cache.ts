import { sql } from "drizzle-orm";
import { getDbHandle, type Db, type DbHandle } from "@/db/client";
import type { SessionReaderFacts } from "./reader-record";

/**
 * Signed-in readers' facts (user, subscriptions, grants, server meter) by session token, kept
 * for a few seconds so a subscriber's next pages skip the database. Whatever changes a reader
 * (a webhook, a grant, a checkout, signing out) announces it with NOTIFY in its transaction;
 * every instance LISTENs and forgets that reader when the change commits.
 */
const TTL_MS = 30_000;
const MAX_ENTRIES = 20_000;
const CHANNEL = "masthead_reader_changed";

interface Entry {
  facts: SessionReaderFacts | null;
  expires: number;
}

const state = ((globalThis as Record<symbol, unknown>)[Symbol.for("masthead.readers")] ??= {
  entries: new Map<string, Entry>(),
  listeningOn: null as DbHandle | null,
}) as { entries: Map<string, Entry>; listeningOn: DbHandle | null };

export async function cachedReaderFacts(token: string, load: () => Promise<SessionReaderFacts | null>): Promise<SessionReaderFacts | null> {
  await listenForChanges(await getDbHandle());
  const now = Date.now();
  const hit = state.entries.get(token);
  if (hit && hit.expires > now && (!hit.facts || hit.facts.sessionExpires.getTime() > now)) return hit.facts;
  const facts = await load();
  if (state.entries.size >= MAX_ENTRIES) state.entries.clear();
  state.entries.set(token, { facts, expires: now + TTL_MS });
  return facts;
}

/** Drops this process's cached facts about a user (or one session). */
export function forgetReader(userId: string): void {
  for (const [token, entry] of state.entries) if (entry.facts?.userId === userId) state.entries.delete(token);
}

export function forgetSession(token: string): void {
  state.entries.delete(token);
}

/** Call inside the transaction that changed what a user may read: every instance forgets them at commit. */
export async function announceReaderChange(db: Db, userId: string): Promise<void> {
  await db.execute(sql`select pg_notify(${CHANNEL}, ${userId})`);
}

/** LISTENs once per database handle; until it does, nothing is cached (a fresh handle starts empty). */
async function listenForChanges(handle: DbHandle): Promise<void> {
  if (state.listeningOn === handle) return;
  state.entries.clear();
  await handle.listen(CHANNEL, forgetReader);
  state.listeningOn = handle;
}
