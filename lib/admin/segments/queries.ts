import "server-only";
import { asc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { offers, segmentRules, type SegmentRuleRow } from "@/db/schema";

/** Every rule in the order they are tried (first match wins). */
export async function listSegments(db: Db): Promise<SegmentRuleRow[]> {
  return db.select().from(segmentRules).orderBy(asc(segmentRules.position), asc(segmentRules.id));
}

export async function findSegment(db: Db, id: number): Promise<SegmentRuleRow | null> {
  const [row] = await db.select().from(segmentRules).where(eq(segmentRules.id, id));
  return row ?? null;
}

/** The offers a rule may feature. */
export async function segmentFormChoices(db: Db) {
  return { offers: await db.select({ id: offers.id, name: offers.name, code: offers.code }).from(offers).orderBy(asc(offers.id)) };
}
