/**
 * Subscription state machine: start (active or trialing, with its first invoice), renew at
 * period end, end a trial, retry failed payments (dunning) and give up, cancel now or at
 * period end, resume, switch price. Every change emits customer.subscription.* events with
 * `previous_attributes`.
 */
import type Stripe from "stripe";
import { buildSubscriptionInvoice, chargeInvoice, createAndFinalize, hasPendingItems } from "./billing";
import type { Emulator } from "./context";
import { invalidRequest } from "./errors";
import { emit, emitUpdate } from "./events";
import { newId } from "./ids";
import { redeem, type Redeemable } from "./discounts";
import { dropSpentDiscounts, settlePausedInvoice } from "./pausing";
import { nextPeriodEnd } from "./periods";
import { planFromPrice, renderSubscription } from "./render";

export function customerIdOf(subscription: Stripe.Subscription): string {
  return typeof subscription.customer === "string" ? subscription.customer : subscription.customer.id;
}

export function firstItem(subscription: Stripe.Subscription): Stripe.SubscriptionItem {
  const item = subscription.items.data[0];
  if (!item) throw new Error(`subscription ${subscription.id} has no items`);
  return item;
}

export function periodEnd(subscription: Stripe.Subscription): number {
  return firstItem(subscription).current_period_end;
}

function recurringOf(price: Stripe.Price): Stripe.Price.Recurring {
  if (!price.recurring) throw invalidRequest(`The price ${price.id} is not recurring.`, "price");
  return price.recurring;
}

/** Records a change: runs `mutate`, then emits customer.subscription.updated if anything moved (since `before`, when given). */
export function updateSubscription(em: Emulator, subscription: Stripe.Subscription, mutate: () => void, before?: Stripe.Subscription): void {
  emitUpdate(em, "customer.subscription.updated", subscription, mutate, before ?? renderSubscription(em, subscription));
}

export interface StartSubscription {
  customer: string;
  price: Stripe.Price;
  quantity: number;
  trialDays: number | null;
  metadata: Record<string, string>;
  description: string | null;
  billingMode: "classic" | "flexible";
  discounts: Redeemable[];
  checkoutSession: string | null;
}

/** Creates the subscription and its first invoice, paid on the spot (the checkout charge). */
export function startSubscription(em: Emulator, input: StartSubscription): Stripe.Subscription {
  const now = em.clock.now();
  const recurring = recurringOf(input.price);
  const trialEnd = input.trialDays ? now + input.trialDays * 86_400 : null;
  const anchor = trialEnd ?? now;
  const currentPeriodEnd = trialEnd ?? nextPeriodEnd(anchor, recurring.interval, recurring.interval_count, now);
  const id = newId("subscription");
  const item: Stripe.SubscriptionItem = {
    id: newId("subscriptionItem"),
    object: "subscription_item",
    billing_thresholds: null,
    created: now,
    current_period_end: currentPeriodEnd,
    current_period_start: now,
    current_trial: null,
    discounts: [],
    metadata: {},
    plan: planFromPrice(input.price),
    price: structuredClone(input.price),
    quantity: input.quantity,
    subscription: id,
    tax_rates: [],
  };
  const subscription: Stripe.Subscription = {
    id,
    object: "subscription",
    application: null,
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: anchor,
    billing_cycle_anchor_config: null,
    billing_mode: { flexible: null, type: input.billingMode },
    billing_schedules: [],
    billing_thresholds: null,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: null,
    cancellation_details: { comment: null, feedback: null, feedback_option: null, reason: null },
    collection_method: "charge_automatically",
    created: now,
    currency: input.price.currency,
    customer: input.customer,
    customer_account: null,
    days_until_due: null,
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: input.description,
    discounts: [],
    ended_at: null,
    invoice_settings: { account_tax_ids: null, custom_fields: null, description: null, footer: null, issuer: { type: "self" } },
    items: { object: "list", data: [item], has_more: false, url: `/v1/subscription_items?subscription=${id}` },
    latest_invoice: null,
    livemode: false,
    managed_payments: null,
    metadata: input.metadata,
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: { payment_method_options: null, payment_method_types: null, save_default_payment_method: "off" },
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: now,
    status: trialEnd ? "trialing" : "active",
    test_clock: null,
    transfer_data: null,
    trial_end: trialEnd,
    trial_settings: { end_behavior: { billing_cycle_anchor: null, missing_payment_method: "create_invoice" } },
    trial_start: trialEnd ? now : null,
  };
  em.store.state.subscriptions[id] = subscription;
  subscription.discounts = input.discounts.map(
    (redeemable) => redeem(em, redeemable, { customer: input.customer, subscription: id, checkoutSession: input.checkoutSession }).id,
  );
  const invoice = buildSubscriptionInvoice(em, subscription, "subscription_create", { start: now, end: currentPeriodEnd }, { zeroAmount: trialEnd !== null });
  subscription.latest_invoice = invoice.id;
  emit(em, "customer.subscription.created", renderSubscription(em, subscription));
  createAndFinalize(em, invoice);
  chargeInvoice(em, invoice, { onSession: true, nextAttemptAt: null });
  em.store.changed();
  return subscription;
}

/** Starts dunning for a failed invoice (its next_payment_attempt is already set). */
export function startDunning(em: Emulator, subscription: Stripe.Subscription, invoice: Stripe.Invoice): void {
  // Only the newest failed invoice is retried; an older one stays open without retries.
  const previous = em.store.state.dunning[subscription.id];
  const stale = previous ? em.store.state.invoices[previous.invoice] : undefined;
  if (stale && stale.id !== invoice.id) stale.next_payment_attempt = null;
  em.store.state.dunning[subscription.id] = { invoice: invoice.id, failures: 1, next_attempt_at: invoice.next_payment_attempt };
}

function applyFinalAction(em: Emulator, subscription: Stripe.Subscription): void {
  delete em.store.state.dunning[subscription.id];
  if (em.config.dunning.finalAction === "unpaid") {
    updateSubscription(em, subscription, () => {
      subscription.status = "unpaid";
    });
  } else {
    cancelNow(em, subscription, "payment_failed");
  }
}

/** Starts a new period at `start` and bills it; used for renewals and for trial ends. */
function billNextPeriod(
  em: Emulator,
  subscription: Stripe.Subscription,
  start: number,
  reason: "subscription_cycle" | "subscription_update" = "subscription_cycle",
  before?: Stripe.Subscription,
): void {
  const item = firstItem(subscription);
  const recurring = recurringOf(item.price);
  const end = nextPeriodEnd(subscription.billing_cycle_anchor, recurring.interval, recurring.interval_count, start);
  dropSpentDiscounts(em, subscription, start);
  const invoice = buildSubscriptionInvoice(em, subscription, reason, { start, end });
  const pause = subscription.pause_collection;
  if (pause && (pause.resumes_at === null || pause.resumes_at > start)) {
    settlePausedInvoice(em, invoice, pause.behavior);
    updateSubscription(em, subscription, () => {
      for (const i of subscription.items.data) {
        i.current_period_start = start;
        i.current_period_end = end;
      }
      subscription.latest_invoice = invoice.id;
    }, before);
    return;
  }
  const { retryDays, retries } = em.config.dunning;
  createAndFinalize(em, invoice);
  const paid = chargeInvoice(em, invoice, { onSession: false, nextAttemptAt: retries > 0 ? em.clock.now() + retryDays * 86_400 : null });
  if (!paid) startDunning(em, subscription, invoice);
  updateSubscription(em, subscription, () => {
    for (const i of subscription.items.data) {
      i.current_period_start = start;
      i.current_period_end = end;
    }
    subscription.latest_invoice = invoice.id;
    subscription.status = paid && !em.store.state.dunning[subscription.id] ? "active" : "past_due";
  }, before);
  if (!paid && retries === 0) applyFinalAction(em, subscription);
}

export function renewSubscription(em: Emulator, subscription: Stripe.Subscription): void {
  billNextPeriod(em, subscription, periodEnd(subscription));
}

export function endTrial(em: Emulator, subscription: Stripe.Subscription): void {
  billNextPeriod(em, subscription, subscription.trial_end ?? periodEnd(subscription));
}

/**
 * The billing cycle anchor moves to now and the new period is billed at once, as the update's
 * invoice (Stripe does this when a trial is ended now and when an update changes the billing
 * interval). No proration credit is made for the rest of the old period (as Stripe with
 * `proration_behavior=none`). `before` is the subscription as the update found it: the update
 * and the new period make one customer.subscription.updated event.
 */
export function restartCycleNow(em: Emulator, subscription: Stripe.Subscription, before: Stripe.Subscription): void {
  const now = em.clock.now();
  // A trial ended by the update ends now.
  if (subscription.status === "trialing") subscription.trial_end = now;
  subscription.billing_cycle_anchor = now;
  billNextPeriod(em, subscription, now, "subscription_update", before);
}

/** Whether a switch from `from` to `to` changes the billing interval (Monthly → Yearly), which Stripe bills at once. */
function changesInterval(from: Stripe.Price, to: Stripe.Price): boolean {
  return from.recurring?.interval !== to.recurring?.interval || from.recurring?.interval_count !== to.recurring?.interval_count;
}

/** Stripe restarts the cycle of a running subscription; a trial keeps its end (the new price bills from then). */
function restartsOnIntervalChange(subscription: Stripe.Subscription): boolean {
  return subscription.status === "active" || subscription.status === "past_due" || subscription.status === "unpaid";
}

/** One dunning retry: pays (→ active) or fails again; after the last retry the final action applies. */
export function retryPayment(em: Emulator, subscription: Stripe.Subscription): void {
  const dunning = em.store.state.dunning[subscription.id];
  if (!dunning) return;
  const invoice = em.store.state.invoices[dunning.invoice];
  if (!invoice || invoice.status !== "open") {
    delete em.store.state.dunning[subscription.id];
    return;
  }
  const { retryDays, retries } = em.config.dunning;
  // `failures` counts the first failure too, so this attempt is retry number `failures`.
  const exhausted = dunning.failures >= retries;
  const nextAttemptAt = exhausted ? null : em.clock.now() + retryDays * 86_400;
  const paid = chargeInvoice(em, invoice, { onSession: false, nextAttemptAt });
  if (paid) {
    delete em.store.state.dunning[subscription.id];
    updateSubscription(em, subscription, () => {
      subscription.status = "active";
    });
    return;
  }
  dunning.failures += 1;
  dunning.next_attempt_at = nextAttemptAt;
  if (exhausted) applyFinalAction(em, subscription);
}

export function cancelNow(
  em: Emulator,
  subscription: Stripe.Subscription,
  reason: "cancellation_requested" | "payment_failed" | "payment_disputed",
  details: CancellationInput = {},
): void {
  if (subscription.status === "canceled") throw invalidRequest("This subscription has already been canceled.", "subscription");
  const now = em.clock.now();
  subscription.status = "canceled";
  subscription.canceled_at = subscription.canceled_at ?? now;
  subscription.ended_at = now;
  subscription.cancel_at = subscription.cancel_at ?? null;
  subscription.cancellation_details = {
    comment: details.comment ?? subscription.cancellation_details?.comment ?? null,
    feedback: details.feedback ?? subscription.cancellation_details?.feedback ?? null,
    feedback_option: null,
    reason,
  };
  delete em.store.state.dunning[subscription.id];
  emit(em, "customer.subscription.deleted", renderSubscription(em, subscription));
  em.store.changed();
}

/**
 * A cancellation that takes effect at the end of the period (cancel_at_period_end, cancel_at):
 * the invoice items still pending for the subscription are charged then, on a last invoice of
 * their own, as Stripe's "Cancel a subscription" reference says ("any pending invoice items ...
 * are still charged at the end of the period"); then the subscription ends. No retries follow a
 * failed charge: Stripe stops collecting once a subscription is canceled.
 */
export function cancelAtItsEnd(em: Emulator, subscription: Stripe.Subscription): void {
  if (hasPendingItems(em, subscription)) {
    const now = em.clock.now();
    const invoice = buildSubscriptionInvoice(em, subscription, "manual", { start: now, end: now }, { pendingItemsOnly: true });
    createAndFinalize(em, invoice);
    chargeInvoice(em, invoice, { onSession: false, nextAttemptAt: null });
  }
  cancelNow(em, subscription, "cancellation_requested");
}

export function assertNotCanceled(subscription: Stripe.Subscription, param: string): void {
  if (subscription.status === "canceled" || subscription.status === "incomplete_expired") {
    throw invalidRequest("A canceled subscription can only update its cancellation_details and metadata.", param);
  }
}

type CancellationInput = { comment?: string | null; feedback?: Stripe.Subscription.CancellationDetails.Feedback | null };

/** Mutation only; callers wrap it in `updateSubscription`. */
export function applyCancelAtPeriodEnd(em: Emulator, subscription: Stripe.Subscription, cancel: boolean, details: CancellationInput = {}): void {
  subscription.cancel_at_period_end = cancel;
  if (cancel) {
    subscription.cancel_at = subscription.status === "trialing" && subscription.trial_end ? subscription.trial_end : periodEnd(subscription);
    subscription.canceled_at = em.clock.now();
    subscription.cancellation_details = {
      comment: details.comment ?? null,
      feedback: details.feedback ?? null,
      feedback_option: null,
      reason: "cancellation_requested",
    };
  } else {
    subscription.cancel_at = null;
    subscription.canceled_at = null;
    subscription.cancellation_details = { comment: null, feedback: null, feedback_option: null, reason: null };
  }
}

export function setCancelAtPeriodEnd(em: Emulator, subscription: Stripe.Subscription, cancel: boolean, details: CancellationInput = {}): void {
  assertNotCanceled(subscription, "cancel_at_period_end");
  updateSubscription(em, subscription, () => applyCancelAtPeriodEnd(em, subscription, cancel, details));
}

/** Checks a price switch of one item; returns the item. `param` names the request field. */
export function validateSwitch(subscription: Stripe.Subscription, itemId: string, price: Stripe.Price, param: string): Stripe.SubscriptionItem {
  assertNotCanceled(subscription, param);
  const item = subscription.items.data.find((i) => i.id === itemId);
  if (!item) throw invalidRequest(`The subscription item ${itemId} does not belong to this subscription.`, param);
  if (!price.active) throw invalidRequest("The price specified is inactive. This field only accepts active prices.", param);
  if (!price.recurring) throw invalidRequest("The price specified is not recurring. Subscriptions only accept recurring prices.", param);
  if (price.currency !== subscription.currency) throw invalidRequest("The price's currency must match the subscription's currency.", param);
  return item;
}

/** Mutation only: with the same interval the new price applies from the next invoice (no prorations). */
export function applySwitch(item: Stripe.SubscriptionItem, price: Stripe.Price, quantity?: number): void {
  item.price = structuredClone(price);
  item.plan = planFromPrice(price);
  if (quantity !== undefined) item.quantity = quantity;
}

/** A price switch; one that changes the billing interval restarts the cycle and bills at once. */
export function switchPrice(em: Emulator, subscription: Stripe.Subscription, itemId: string, price: Stripe.Price): void {
  const item = validateSwitch(subscription, itemId, price, "price");
  if (!switchRestartsCycle(subscription, item, price)) return updateSubscription(em, subscription, () => applySwitch(item, price));
  const before = renderSubscription(em, subscription);
  applySwitch(item, price);
  restartCycleNow(em, subscription, before);
}

/** Whether switching `item` to `price` restarts the billing cycle (see `switchPrice`). */
export function switchRestartsCycle(subscription: Stripe.Subscription, item: Stripe.SubscriptionItem, price: Stripe.Price): boolean {
  return changesInterval(item.price, price) && restartsOnIntervalChange(subscription);
}
