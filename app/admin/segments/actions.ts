"use server";

import { refresh } from "next/cache";
import { getDb } from "@/db/client";
import { createSegment, deleteSegment, moveSegment, updateSegment, type SegmentChange } from "@/lib/admin/segments/commands";
import { moveSegmentSchema, segmentIdSchema, segmentSchema, updateSegmentSchema } from "@/lib/admin/segments/form";
import { adminAction, refused, refusedField, type ActionResult } from "@/lib/admin/shared/action";

function answer(change: SegmentChange, done: string): ActionResult {
  if (!change.ok) return change.field ? refusedField(change.field, change.message) : refused(change.message);
  refresh();
  return { ok: true, message: done };
}

export const createSegmentAction = adminAction(segmentSchema, async (input, admin) => answer(await createSegment(await getDb(), admin, input), "Rule added last: it applies from now on every instance."));

export const updateSegmentAction = adminAction(updateSegmentSchema, async ({ id, ...input }, admin) => answer(await updateSegment(await getDb(), admin, id, input), "Rule saved."));

export const moveSegmentAction = adminAction(moveSegmentSchema, async ({ id, direction }, admin) => answer(await moveSegment(await getDb(), admin, id, direction), "Moved."));

export const deleteSegmentAction = adminAction(segmentIdSchema, async ({ id }, admin) => answer(await deleteSegment(await getDb(), admin, id), "Rule deleted."));
