"use server";

import { refresh } from "next/cache";
import { getDb } from "@/db/client";
import { adminAction, refused, type ActionResult } from "@/lib/admin/shared/action";
import { replayStoredEvent } from "@/lib/admin/webhooks/commands";
import { replayEventSchema } from "@/lib/admin/webhooks/schema";

/** Processes a failed Stripe event again from its stored payload (idempotent; audited). */
export const replayEventAction = adminAction(replayEventSchema, async ({ eventId }, admin): Promise<ActionResult> => {
  const result = await replayStoredEvent(await getDb(), admin, eventId);
  refresh();
  if (!result.ok) return refused(result.message);
  return { ok: true, message: `Replayed: ${result.outcome.replaceAll("_", " ")}.` };
});
