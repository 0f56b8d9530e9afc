import { eq, sql } from "drizzle-orm";
import type Stripe from "stripe";
import type { Db } from "@/db/client";
import { stripeEvents } from "@/db/schema";
import { sendBillingMails } from "@/lib/retention/billing-mail";
import { applyCompletedCheckout } from "./complete-checkout";
import { userIdForCustomer } from "./customers";
import { stripe } from "./stripe-client";
import { idOf } from "./stripe-shapes";
import { syncInvoice, syncSubscription } from "./sync-subscription";

type AppliedOutcome = "processed" | "ignored" | "waiting_for_customer";
export type EventOutcome = AppliedOutcome | "duplicate";

const SUBSCRIPTION_EVENTS = new Set([
  "customer.subscription.created",
  "customer.subscription.updated",
  "customer.subscription.deleted",
  "customer.subscription.paused",
  "customer.subscription.resumed",
  "customer.subscription.pending_update_applied",
  "customer.subscription.pending_update_expired",
  "customer.subscription.trial_will_end",
]);
const INVOICE_EVENTS = new Set(["invoice.paid", "invoice.payment_failed", "invoice.payment_succeeded", "invoice.finalized", "invoice.voided", "invoice.marked_uncollectible"]);

/**
 * Applies one verified event exactly once. The event row and its effect commit together; a
 * duplicate (or a concurrent delivery of the same event) finds the row and does nothing; a
 * previously failed event is processed again. The event is only a trigger: the effect comes
 * from the object as Stripe has it now.
 */
export async function processStripeEvent(db: Db, event: Stripe.Event): Promise<EventOutcome> {
  try {
    return await db.transaction(async (tx) => {
      const base = {
        id: event.id,
        type: event.type,
        stripeCreated: new Date(event.created * 1000),
        payload: event as unknown as Record<string, unknown>,
      };
      const inserted = await tx.insert(stripeEvents).values({ ...base, state: "processed" }).onConflictDoNothing().returning({ id: stripeEvents.id });
      if (inserted.length === 0) {
        const [existing] = await tx.select().from(stripeEvents).where(eq(stripeEvents.id, event.id)).for("update");
        if (existing && existing.state !== "failed") return "duplicate";
        await tx.update(stripeEvents).set({ attempts: sql`${stripeEvents.attempts} + 1` }).where(eq(stripeEvents.id, event.id));
      }
      const { outcome, customerId } = await applyEvent(tx as unknown as Db, event);
      await tx
        .update(stripeEvents)
        .set({ state: outcome, processedAt: new Date(), error: null, stripeCustomerId: customerId })
        .where(eq(stripeEvents.id, event.id));
      return outcome;
    });
  } catch (error) {
    // The effect rolled back; keep the event and the reason so Stripe's retry (or an admin's replay) can finish it.
    const message = describeError(error);
    await db
      .insert(stripeEvents)
      .values({
        id: event.id,
        type: event.type,
        stripeCreated: new Date(event.created * 1000),
        payload: event as unknown as Record<string, unknown>,
        state: "failed",
        error: message.slice(0, 2_000),
      })
      .onConflictDoUpdate({
        target: stripeEvents.id,
        set: { state: "failed", error: message.slice(0, 2_000), attempts: sql`${stripeEvents.attempts} + 1` },
        setWhere: eq(stripeEvents.state, "failed"),
      })
      .catch((recordError: unknown) => console.error("Could not record the failed event:", recordError));
    throw error;
  }
}

async function applyEvent(tx: Db, event: Stripe.Event): Promise<{ outcome: AppliedOutcome; customerId: string | null }> {
  const object = event.data.object as { id?: string; customer?: string | { id: string } | null };
  if (event.type === "checkout.session.completed") {
    const session = await stripe().checkout.sessions.retrieve(object.id!);
    await applyCompletedCheckout(tx, session, event.created);
    return settled(tx, idOf(session.customer));
  }
  if (SUBSCRIPTION_EVENTS.has(event.type)) {
    const sub = await syncSubscription(tx, object.id!, event.created);
    return settled(tx, sub.stripeCustomerId);
  }
  if (INVOICE_EVENTS.has(event.type)) {
    const { subscriptionId } = await syncInvoice(tx, object.id!);
    if (subscriptionId) await syncSubscription(tx, subscriptionId, event.created);
    await sendBillingMails(tx, event);
    return settled(tx, idOf(object.customer));
  }
  if (event.type === "invoice.upcoming") {
    // A preview without a Stripe object to fetch: the subscription it names is synced instead.
    const subscriptionId = idOf(event.data.object.parent?.subscription_details?.subscription);
    if (subscriptionId) await syncSubscription(tx, subscriptionId, event.created);
    await sendBillingMails(tx, event);
    return settled(tx, idOf(object.customer));
  }
  return { outcome: "ignored", customerId: idOf(object.customer) };
}

/** Processed when we know whose it is; otherwise kept, and attached when the customer appears. */
async function settled(tx: Db, customerId: string | null): Promise<{ outcome: AppliedOutcome; customerId: string | null }> {
  const known = customerId ? await userIdForCustomer(tx, customerId) : null;
  return { outcome: known ? "processed" : "waiting_for_customer", customerId };
}

/** The error and its cause (drizzle wraps the database's own message in `cause`). */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error.message.split("\n")[0]!.slice(0, 300)}${cause}`;
}
