import "server-only";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { experiments, offers, segmentRules, type SegmentRuleRow } from "@/db/schema";
import { announceChange } from "@/lib/cache/invalidation";
import { recordAudit } from "../audit/record";
import type { AdminActor } from "../shared/action";
import type { SegmentInput } from "./form";

export type SegmentChange = { ok: true; id: number } | { ok: false; field?: string; message: string };

/** The offer a rule features must exist; the database's answer is a field error. */
async function offerMissing(tx: Tx, input: SegmentInput): Promise<SegmentChange | null> {
  if (input.featuredOfferId === null) return null;
  const [found] = await tx.select({ id: offers.id }).from(offers).where(eq(offers.id, input.featuredOfferId));
  return found ? null : { ok: false, field: "offer", message: "That offer no longer exists" };
}

function snapshot(row: SegmentRuleRow) {
  const { createdAt: _c, updatedAt: _u, ...rest } = row;
  return rest;
}

/** Adds a rule last (it matches only where no earlier rule does); one transaction with its audit row. */
export async function createSegment(db: Db, actor: AdminActor, input: SegmentInput): Promise<SegmentChange> {
  return db.transaction(async (tx) => {
    const missing = await offerMissing(tx, input);
    if (missing) return missing;
    // Positions are taken under a lock on the table's rows: two admins adding at once get two places.
    await tx.execute(sql`select id from segment_rules for update`);
    const [{ next }] = (await tx.select({ next: sql<number>`coalesce(max(${segmentRules.position}), -1) + 1` }).from(segmentRules)) as [{ next: number }];
    const [row] = await tx.insert(segmentRules).values({ ...input, position: Number(next) }).returning();
    await announceChange(tx, "segments");
    await recordAudit(tx, { actor, action: "segment.create", targetType: "segment", targetId: row!.id, before: null, after: snapshot(row!) });
    return { ok: true, id: row!.id };
  });
}

/** Changes a rule's conditions and settings (its place stays); the audit keeps before and after. */
export async function updateSegment(db: Db, actor: AdminActor, id: number, input: SegmentInput): Promise<SegmentChange> {
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(segmentRules).where(eq(segmentRules.id, id)).for("update");
    if (!before) return { ok: false, message: "This rule no longer exists." };
    const missing = await offerMissing(tx, input);
    if (missing) return missing;
    const [row] = await tx.update(segmentRules).set({ ...input, updatedAt: sql`now()` }).where(eq(segmentRules.id, id)).returning();
    await announceChange(tx, "segments");
    await recordAudit(tx, { actor, action: "segment.update", targetType: "segment", targetId: id, before: snapshot(before), after: snapshot(row!) });
    return { ok: true, id };
  });
}

/** Swaps a rule with its neighbour above or below (first match wins, so this changes who gets which paywall). */
export async function moveSegment(db: Db, actor: AdminActor, id: number, direction: "up" | "down"): Promise<SegmentChange> {
  return db.transaction(async (tx) => {
    const rows = await tx.select({ id: segmentRules.id, position: segmentRules.position }).from(segmentRules).orderBy(asc(segmentRules.position), asc(segmentRules.id)).for("update");
    const at = rows.findIndex((r) => r.id === id);
    if (at < 0) return { ok: false, message: "This rule no longer exists." };
    const to = direction === "up" ? at - 1 : at + 1;
    if (to < 0 || to >= rows.length) return { ok: false, message: direction === "up" ? "This rule is already first." : "This rule is already last." };
    const order = rows.map((r) => r.id);
    [order[at], order[to]] = [order[to]!, order[at]!];
    // Renumbered 0..n-1, so positions stay distinct whatever they were.
    for (const [position, ruleId] of order.entries()) {
      if (rows.find((r) => r.id === ruleId)!.position !== position) await tx.update(segmentRules).set({ position }).where(eq(segmentRules.id, ruleId));
    }
    await announceChange(tx, "segments");
    await recordAudit(tx, { actor, action: "segment.move", targetType: "segment", targetId: id, before: { order: rows.map((r) => r.id) }, after: { order } });
    return { ok: true, id };
  });
}

/** Deletes a rule, unless a draft or running experiment is targeted at it (its readers would change). */
export async function deleteSegment(db: Db, actor: AdminActor, id: number): Promise<SegmentChange> {
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(segmentRules).where(eq(segmentRules.id, id)).for("update");
    if (!before) return { ok: false, message: "This rule no longer exists." };
    const [targeted] = await tx
      .select({ name: experiments.name })
      .from(experiments)
      .where(and(eq(experiments.segmentId, id), inArray(experiments.state, ["draft", "running"])))
      .limit(1);
    if (targeted) return { ok: false, message: `The experiment "${targeted.name}" is targeted at this rule: stop it (or change its target) first.` };
    await tx.delete(segmentRules).where(eq(segmentRules.id, id));
    await announceChange(tx, "segments");
    await recordAudit(tx, { actor, action: "segment.delete", targetType: "segment", targetId: id, before: snapshot(before), after: null });
    return { ok: true, id };
  });
}
