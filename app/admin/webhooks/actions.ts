"use server";

import { refresh } from "next/cache";
import { getDb } from "@/db/client";
import { adminAction, refused, type ActionResult } from "@/lib/admin/shared/action";
import { replayStoredEvent, resendBillingMail } from "@/lib/admin/webhooks/commands";
import { replayEventSchema, resendBillingMailSchema } from "@/lib/admin/webhooks/form";

/** Processes a failed Stripe event again from its stored payload (idempotent; audited). */
export const replayEventAction = adminAction(replayEventSchema, async ({ eventId }, admin): Promise<ActionResult> => {
  const result = await replayStoredEvent(await getDb(), admin, eventId);
  refresh();
  if (!result.ok) return refused(result.message);
  return { ok: true, message: `Replayed: ${result.outcome.replaceAll("_", " ")}.` };
});

/** Sends a billing mail whose delivery is unknown again (the reader may get it twice; audited). */
export const resendBillingMailAction = adminAction(resendBillingMailSchema, async ({ key }, admin): Promise<ActionResult> => {
  const result = await resendBillingMail(await getDb(), admin, key);
  refresh();
  if (!result.ok) return refused(result.message);
  return { ok: true, message: result.sent ? "Sent again." : "Queued again: the mail server did not take it yet." };
});
