import "server-only";
import { sql } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { organisations } from "@/db/schema";
import { ttlCache } from "@/lib/cache/ttl-cache";
import { buildRangeIndex, parseCidr, type RangeIndex } from "@/lib/http/cidr";
import { runningLicence, type Licence } from "./licence";
import { licenceColumns, licenceOf } from "./seat-licences";

/**
 * Every organisation's IP ranges in one sorted index, held in memory: an anonymous request is
 * checked by binary search, never by a query. Loaded once (one query) and again after any
 * organisation changes (announced "organisations" in the writing transaction).
 */
const rangeIndex = ttlCache<"all", RangeIndex<Licence>>("address-licences", {
  maxEntries: 1,
  forgetOn: { organisations: true },
});

/** The index from the organisations' rows; a range that no longer parses is skipped (the admin form refuses such ranges). */
export async function loadRangeIndex(db: Db): Promise<RangeIndex<Licence>> {
  const rows = await db
    .select({ ...licenceColumns, ipRanges: organisations.ipRanges })
    .from(organisations)
    .where(sql`cardinality(${organisations.ipRanges}) > 0`)
    .orderBy(organisations.id);
  return buildRangeIndex(
    rows.flatMap((o) => {
      const owner = licenceOf(o, "address");
      return o.ipRanges.flatMap((text) => {
        const parsed = parseCidr(text);
        return parsed.ok ? [{ range: parsed.range, owner }] : [];
      });
    }),
  );
}

/**
 * The running licence whose ranges hold this client address (from lib/http/client-address.ts),
 * or null. When the ranges cannot be loaded (the database is down) there is none: the reader
 * gets what they would without it, never an error page for a licence they may not have.
 */
export async function addressLicence(address: string | null, now: Date): Promise<Licence | null> {
  if (!address) return null;
  try {
    const index = await rangeIndex.get("all", async () => loadRangeIndex(await getDb()));
    return runningLicence(index.lookup(address), now);
  } catch {
    return null;
  }
}
