import "server-only";
import { asc } from "drizzle-orm";
import { getDb, type Queryable } from "@/db/client";
import { segmentRules } from "@/db/schema";
import { ttlCache } from "@/lib/cache/ttl-cache";
import type { SegmentRule } from "./rules";

// The rules, held in memory like the settings and the live experiments: the reading path asks no
// query for them. Every admin change announces "segments" in its transaction.
const cache = ttlCache<"rules", SegmentRule[]>("segments", { forgetOn: { segments: true } });

export function getLiveSegments(): Promise<SegmentRule[]> {
  return cache.get("rules", async () => loadSegmentRules(await getDb()));
}

/** Every rule in order (first match wins), read now through `db`. */
export async function loadSegmentRules(db: Queryable): Promise<SegmentRule[]> {
  const rows = await db.select().from(segmentRules).orderBy(asc(segmentRules.position), asc(segmentRules.id));
  return rows.map(({ createdAt: _c, updatedAt: _u, ...rule }) => rule);
}
