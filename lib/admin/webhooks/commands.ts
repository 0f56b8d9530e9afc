import "server-only";
import { eq } from "drizzle-orm";
import type Stripe from "stripe";
import type { Db } from "@/db/client";
import { billingMails, stripeEvents } from "@/db/schema";
import { deliverBillingMails } from "@/lib/billing/billing-mail-delivery";
import { resendUnknownMail } from "@/lib/billing/billing-mail-outbox";
import { processStripeEvent } from "@/lib/billing/process-event";
import { recordAudit } from "../audit/record";
import type { AdminActor } from "../shared/action";

export type ReplayOutcome = { ok: true; outcome: string } | { ok: false; message: string };

/**
 * Processes a failed event again from its stored payload (the payload was verified when it
 * arrived). processStripeEvent is idempotent: an event that has since succeeded is a duplicate
 * and changes nothing. The replay and its outcome are audited.
 */
export async function replayStoredEvent(db: Db, actor: AdminActor, eventId: string): Promise<ReplayOutcome> {
  const [stored] = await db.select().from(stripeEvents).where(eq(stripeEvents.id, eventId));
  if (!stored) return { ok: false, message: "This event is not stored." };
  if (stored.state !== "failed") return { ok: false, message: `Only failed events can be replayed; this one is ${stored.state.replaceAll("_", " ")}.` };
  const before = { state: stored.state, error: stored.error, attempts: stored.attempts };
  let result: ReplayOutcome;
  try {
    result = { ok: true, outcome: await processStripeEvent(db, stored.payload as Stripe.Event) };
  } catch (error) {
    result = { ok: false, message: `It failed again: ${error instanceof Error ? error.message.split("\n")[0]!.slice(0, 300) : String(error)}` };
  }
  const [after] = await db.select({ state: stripeEvents.state, error: stripeEvents.error, attempts: stripeEvents.attempts }).from(stripeEvents).where(eq(stripeEvents.id, eventId));
  // processStripeEvent commits its own transaction; the record of the replay follows it.
  await db.transaction((tx) => recordAudit(tx, { actor, action: "stripe_event.replay", targetType: "stripe_event", targetId: eventId, before, after: after ?? null }));
  return result;
}

/**
 * An admin's explicit choice for a billing mail cut off mid-send (`unknown`): queue it again and
 * deliver it now. The reader may get it twice; that is why only an admin decides it. Audited.
 */
export async function resendBillingMail(db: Db, actor: AdminActor, key: string): Promise<{ ok: true; sent: boolean } | { ok: false; message: string }> {
  const queued = await db.transaction(async (tx) => {
    const [before] = await tx.select({ state: billingMails.state, lastError: billingMails.lastError }).from(billingMails).where(eq(billingMails.key, key)).for("update");
    if (!before || !(await resendUnknownMail(tx, key))) return false;
    await recordAudit(tx, { actor, action: "billing_mail.resend", targetType: "billing_mail", targetId: key, before, after: { state: "pending" } });
    return true;
  });
  if (!queued) return { ok: false, message: "Only a mail whose delivery is unknown can be sent again." };
  await deliverBillingMails(db);
  const [after] = await db.select({ state: billingMails.state }).from(billingMails).where(eq(billingMails.key, key));
  return { ok: true, sent: after?.state === "sent" };
}
