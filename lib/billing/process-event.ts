import "server-only";
import { eq, sql } from "drizzle-orm";
import type Stripe from "stripe";
import type { Db, Tx } from "@/db/client";
import { stripeEvents, subscriptions } from "@/db/schema";
import { recordBillingMails, type FetchedInvoice } from "./billing-mail";
import { deliverBillingMailsSoon } from "./billing-mail-delivery";
import { awaitsPaidPeriod, endPause } from "./end-pause";
import { userIdForCustomer } from "./customers";
import { enforceOfferPlans } from "./offer-plans";
import { settleGiftCheckout } from "./gift-payments";
import { fetchCheckoutSession, settleCheckoutSession } from "./settle-checkout";
import { idOf, type CheckoutSessionCopy } from "./stripe-rows";
import { fetchInvoiceForEvent, lockSubscription, saveInvoice, pullSubscriptionFromStripe } from "./pull-subscription";
import { fetchLicenceInvoice, licenceOrganisationOf, saveLicenceInvoice, type LicenceInvoiceCopy } from "./licence-invoices";

type AppliedOutcome = "processed" | "ignored" | "waiting_for_customer";
/** `mails`: how many billing mails the event recorded, to deliver once it commits. */
type Applied = { outcome: AppliedOutcome; customerId: string | null; mails?: number };
/** What an event's effect needs from Stripe that can be fetched before its transaction opens. */
type Fetched = { session?: CheckoutSessionCopy; invoice?: FetchedInvoice; licence?: LicenceInvoiceCopy | null };
export type EventOutcome = AppliedOutcome | "duplicate";

/**
 * Applies one verified event exactly once. The event row and its effect commit together; a
 * duplicate (or a concurrent delivery of the same event) finds the row and does nothing; a
 * previously failed event is processed again. The event is only a trigger: the effect comes
 * from the object as Stripe has it now, fetched before the transaction opens where it can be.
 * Billing mail the event recorded is sent after the commit, in the background; a mail server
 * that is down leaves it pending (for the sweep) and neither fails nor delays the event.
 */
export async function processStripeEvent(db: Db, event: Stripe.Event): Promise<EventOutcome> {
  const { outcome, mails } = await applyOnce(db, event);
  if (mails > 0) deliverBillingMailsSoon(db);
  if (outcome === "processed" && pauseLifted(event)) await payForResumedPause(db, objectOf(event).id!);
  return outcome;
}

/** The event that says a pause was lifted in Stripe (a trigger only: what to do is read from Stripe again). */
function pauseLifted(event: Stripe.Event): boolean {
  if (event.type !== "customer.subscription.updated") return false;
  const before = event.data.previous_attributes as Partial<Stripe.Subscription> | undefined;
  return before?.pause_collection != null && event.data.object.pause_collection === null;
}

/**
 * A pause lifted outside our pages (at resumes_at, or by an admin in Stripe) leaves the voided
 * period current: start the paid one now (end-pause.ts). A failure is logged, not retried: the
 * reader, without access meanwhile, sees "Resume now" on their account.
 */
async function payForResumedPause(db: Db, subscriptionId: string): Promise<void> {
  const [row] = await db.select().from(subscriptions).where(eq(subscriptions.stripeSubscriptionId, subscriptionId));
  if (!row || !awaitsPaidPeriod(row)) return;
  const ended = await endPause(db, subscriptionId).catch((error: unknown) => {
    console.error("Could not bill the period after a pause:", error);
    return "failed";
  });
  if (ended === "declined") console.warn(`The period after the pause of ${subscriptionId} was declined; the reader has no access until they resume.`);
}

/** The stripe_events row an event is first stored as, processed or failed. */
function eventRow(event: Stripe.Event, state: "processed" | "failed"): typeof stripeEvents.$inferInsert {
  return { id: event.id, type: event.type, stripeCreated: new Date(event.created * 1000), payload: event as unknown as Record<string, unknown>, state };
}

async function applyOnce(db: Db, event: Stripe.Event): Promise<{ outcome: EventOutcome; mails: number }> {
  try {
    // A duplicate needs nothing from Stripe (and answers the same when Stripe is down), nor a
    // transaction: one read answers it. A concurrent delivery of the same event is still caught
    // by the insert below.
    if (await alreadyApplied(db, event.id)) return { outcome: "duplicate", mails: 0 };
    const fetched = await fetchBeforeTransaction(event);
    return await db.transaction(async (tx) => {
      // Stored as processed for the customer the event names, with the subscription's lock taken
      // in the same round trip (pipelined) when the handler pulls one; only a different outcome is written again.
      const customerId = idOf(objectOf(event).customer);
      const lockKey = handlerFor(event)?.locks?.(event);
      const [inserted] = await Promise.all([
        tx
          .insert(stripeEvents)
          .values({ ...eventRow(event, "processed"), processedAt: new Date(), stripeCustomerId: customerId })
          .onConflictDoNothing()
          .returning({ id: stripeEvents.id }),
        lockKey ? lockSubscription(tx, lockKey) : undefined,
      ]);
      const fresh = inserted.length === 1;
      if (!fresh) {
        const [existing] = await tx.select().from(stripeEvents).where(eq(stripeEvents.id, event.id)).for("update");
        if (existing && existing.state !== "failed") return { outcome: "duplicate", mails: 0 };
        await tx.update(stripeEvents).set({ attempts: sql`${stripeEvents.attempts} + 1` }).where(eq(stripeEvents.id, event.id));
      }
      const applied = await applyEvent(tx, event, fetched);
      const { outcome, mails = 0 } = applied;
      if (!fresh || outcome !== "processed" || applied.customerId !== customerId) {
        await tx
          .update(stripeEvents)
          .set({ state: outcome, processedAt: new Date(), error: null, stripeCustomerId: applied.customerId })
          .where(eq(stripeEvents.id, event.id));
      }
      return { outcome, mails };
    });
  } catch (error) {
    // The effect rolled back; keep the event and the reason so Stripe's retry (or an admin's replay) can finish it.
    const message = describeError(error);
    await db
      .insert(stripeEvents)
      .values({ ...eventRow(event, "failed"), error: message.slice(0, 2_000) })
      .onConflictDoUpdate({
        target: stripeEvents.id,
        set: { state: "failed", error: message.slice(0, 2_000), attempts: sql`${stripeEvents.attempts} + 1` },
        setWhere: eq(stripeEvents.state, "failed"),
      })
      .catch((recordError: unknown) => console.error("Could not record the failed event:", recordError));
    throw error;
  }
}

const objectOf = (event: Stripe.Event) => event.data.object as { id?: string; customer?: string | { id: string } | null };

async function alreadyApplied(db: Db, eventId: string): Promise<boolean> {
  const [stored] = await db.select({ state: stripeEvents.state }).from(stripeEvents).where(eq(stripeEvents.id, eventId));
  return stored !== undefined && stored.state !== "failed";
}

/**
 * What one event type does: `fetch` reads Stripe's current object before the transaction opens
 * (only the subscription is fetched inside it, under its lock); `apply` runs in the transaction.
 */
interface EventHandler {
  fetch?: (objectId: string) => Promise<Fetched>;
  /** The subscription whose lock `apply` takes first: taken with the event's insert instead. */
  locks?: (event: Stripe.Event) => string;
  apply: (tx: Tx, event: Stripe.Event, fetched: Fetched) => Promise<Applied>;
}

const checkoutCompleted: EventHandler = {
  fetch: async (id) => ({ session: await fetchCheckoutSession(id) }),
  async apply(tx, event, { session }) {
    // A one-off payment is a gift subscription's (gift-payments.ts): it has no customer. Its
    // delivery is lib/gift-subscriptions' sweep's (or the return page's), after this commits.
    if (session!.mode === "payment") {
      const settled = await settleGiftCheckout(tx, session!, new Date());
      return { outcome: settled.found ? "processed" : "ignored", customerId: null, mails: settled.found ? settled.mails : 0 };
    }
    const { mails } = await settleCheckoutSession(tx, session!, event.created);
    return { ...(await settled(tx, session!.customerId)), mails };
  },
};

const subscriptionChanged: EventHandler = {
  locks: (event) => objectOf(event).id!,
  async apply(tx, event) {
    const pulled = await pullSubscriptionFromStripe(tx, objectOf(event).id!, event.created);
    const { subscription: sub, mails } = await enforceOfferPlans(tx, pulled, event.created);
    // The pulled row's owner is its customer's account, just read under the lock: no query to ask again.
    return { outcome: sub.userId ? "processed" : "waiting_for_customer", customerId: sub.stripeCustomerId, mails };
  },
};

const invoiceChanged: EventHandler = {
  fetch: async (id) => ({ invoice: await fetchInvoiceForEvent(id) }),
  async apply(tx, event, { invoice }) {
    await saveInvoice(tx, invoice!.copy);
    const subscriptionId = invoice!.copy.stripeSubscriptionId;
    if (subscriptionId) await pullSubscriptionFromStripe(tx, subscriptionId, event.created);
    const mails = await recordBillingMails(tx, event, invoice);
    return { ...(await settled(tx, idOf(objectOf(event).customer))), mails };
  },
};

const invoiceUpcoming: EventHandler = {
  async apply(tx, event) {
    // A preview without a Stripe object to fetch: the subscription it names is pulled instead.
    const preview = (event as Stripe.InvoiceUpcomingEvent).data.object;
    const subscriptionId = idOf(preview.parent?.subscription_details?.subscription);
    if (subscriptionId) await pullSubscriptionFromStripe(tx, subscriptionId, event.created);
    const mails = await recordBillingMails(tx, event, undefined);
    return { ...(await settled(tx, idOf(objectOf(event).customer))), mails };
  },
};

/**
 * An organisation's licence invoice (lib/billing/licence-invoices.ts). The payload's metadata only
 * routes the event here; what is written is Stripe's invoice fetched now, so a duplicate, a late
 * or a forged event changes nothing Stripe does not say.
 */
const licenceInvoiceChanged: EventHandler = {
  fetch: async (id) => ({ licence: await fetchLicenceInvoice(id) }),
  async apply(tx, _event, { licence }) {
    if (!licence) return { outcome: "ignored", customerId: null };
    const saved = await saveLicenceInvoice(tx, licence);
    return { outcome: saved ? "processed" : "ignored", customerId: licence.customerId };
  },
};

const isLicenceInvoiceEvent = (event: Stripe.Event) =>
  event.type.startsWith("invoice.") && event.type !== "invoice.upcoming" && licenceOrganisationOf((event.data.object as { metadata?: Stripe.Metadata | null }).metadata) !== null;

/** The events we act on; any other is stored and ignored. */
const HANDLERS: Partial<Record<Stripe.Event.Type, EventHandler>> = {
  "checkout.session.completed": checkoutCompleted,
  "customer.subscription.created": subscriptionChanged,
  "customer.subscription.updated": subscriptionChanged,
  "customer.subscription.deleted": subscriptionChanged,
  "customer.subscription.paused": subscriptionChanged,
  "customer.subscription.resumed": subscriptionChanged,
  "customer.subscription.pending_update_applied": subscriptionChanged,
  "customer.subscription.pending_update_expired": subscriptionChanged,
  "customer.subscription.trial_will_end": subscriptionChanged,
  "invoice.paid": invoiceChanged,
  "invoice.payment_failed": invoiceChanged,
  "invoice.payment_succeeded": invoiceChanged,
  "invoice.finalized": invoiceChanged,
  "invoice.voided": invoiceChanged,
  "invoice.marked_uncollectible": invoiceChanged,
  "invoice.upcoming": invoiceUpcoming,
};

/** The handler of an event: a licence invoice's own, else by its type. */
const handlerFor = (event: Stripe.Event): EventHandler | undefined => (isLicenceInvoiceEvent(event) ? licenceInvoiceChanged : HANDLERS[event.type]);

/** Stripe first, then the transaction. */
async function fetchBeforeTransaction(event: Stripe.Event): Promise<Fetched> {
  const fetch = handlerFor(event)?.fetch;
  return fetch ? fetch(objectOf(event).id!) : {};
}

async function applyEvent(tx: Tx, event: Stripe.Event, fetched: Fetched): Promise<Applied> {
  const handler = handlerFor(event);
  return handler ? handler.apply(tx, event, fetched) : { outcome: "ignored", customerId: idOf(objectOf(event).customer) };
}

/** Processed when we know whose it is; otherwise kept, and attached when the customer appears. */
async function settled(tx: Tx, customerId: string | null): Promise<Applied> {
  const known = customerId ? await userIdForCustomer(tx, customerId) : null;
  return { outcome: known ? "processed" : "waiting_for_customer", customerId };
}

/** The error and its cause (drizzle wraps the database's own message in `cause`). */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error.message.split("\n")[0]!.slice(0, 300)}${cause}`;
}
