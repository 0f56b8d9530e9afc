/**
 * Time-bound changes to a subscription besides renewals: paused payment collection
 * (`pause_collection`: invoices still made, then left as drafts, voided or marked uncollectible;
 * cleared at `resumes_at`), the Pause/Resume endpoints (status `paused`, no invoices,
 * customer.subscription.paused/resumed; flexible billing mode only, as in Stripe), the
 * trial_will_end notice 3 days before a trial ends, and discounts that have run out.
 */
import type Stripe from "stripe";
import { buildSubscriptionInvoice, chargeInvoice, createAndFinalize } from "./billing";
import type { Emulator } from "./context";
import { discountSpent } from "./discounts";
import { invalidRequest, StripeApiError } from "./errors";
import { emit } from "./events";
import { firstItem, startDunning, updateSubscription } from "./lifecycle";
import { nextPeriodEnd } from "./periods";
import { render, renderSubscription } from "./render";

export const TRIAL_WILL_END_NOTICE_SECONDS = 3 * 86_400;

/** A period's invoice while collection is paused: never charged. */
export function settlePausedInvoice(em: Emulator, invoice: Stripe.Invoice, behavior: Stripe.Subscription.PauseCollection.Behavior): void {
  if (behavior === "keep_as_draft") {
    emit(em, "invoice.created", render(em, invoice));
    return;
  }
  createAndFinalize(em, invoice);
  const now = em.clock.now();
  if (behavior === "mark_uncollectible") {
    invoice.status = "uncollectible";
    invoice.status_transitions.marked_uncollectible_at = now;
    emit(em, "invoice.marked_uncollectible", render(em, invoice));
  } else {
    invoice.status = "void";
    invoice.status_transitions.voided_at = now;
    emit(em, "invoice.voided", render(em, invoice));
  }
  em.store.changed();
}

export function resumeCollection(em: Emulator, subscription: Stripe.Subscription): void {
  updateSubscription(em, subscription, () => {
    subscription.pause_collection = null;
  });
}

export function sendTrialWillEnd(em: Emulator, subscription: Stripe.Subscription): void {
  if (subscription.trial_end === null) return;
  em.store.state.trial_will_end_sent[subscription.id] = subscription.trial_end;
  emit(em, "customer.subscription.trial_will_end", renderSubscription(em, subscription));
}

/** When the trial_will_end notice is due, or null when sent already or not trialing. */
export function trialWillEndAt(em: Emulator, subscription: Stripe.Subscription): number | null {
  if (subscription.status !== "trialing" || subscription.trial_end === null) return null;
  if (em.store.state.trial_will_end_sent[subscription.id] === subscription.trial_end) return null;
  return Math.max(subscription.trial_start ?? subscription.created, subscription.trial_end - TRIAL_WILL_END_NOTICE_SECONDS);
}

/** Takes discounts that have run out (or a once-discount that has been used) off the subscription. */
export function dropSpentDiscounts(em: Emulator, subscription: Stripe.Subscription, at: number): void {
  updateSubscription(em, subscription, () => {
    subscription.discounts = subscription.discounts.filter((entry) => {
      const discount = em.store.state.discounts[typeof entry === "string" ? entry : entry.id];
      return discount !== undefined && !discountSpent(em, discount, at);
    });
  });
}

/** The next moment a discount of the subscription runs out, if any. */
export function nextDiscountEnd(em: Emulator, subscription: Stripe.Subscription): number | null {
  const ends = subscription.discounts
    .map((entry) => em.store.state.discounts[typeof entry === "string" ? entry : entry.id]?.end ?? null)
    .filter((end): end is number => end !== null);
  return ends.length > 0 ? Math.min(...ends) : null;
}

export function pauseSubscription(em: Emulator, subscription: Stripe.Subscription): void {
  if (subscription.billing_mode.type !== "flexible") {
    throw invalidRequest("Pausing a subscription requires billing_mode[type]=flexible.", "billing_mode");
  }
  if (subscription.status !== "active" && subscription.status !== "trialing") {
    throw invalidRequest(`A subscription with status ${subscription.status} cannot be paused.`, "subscription");
  }
  updateSubscription(em, subscription, () => {
    subscription.status = "paused";
    subscription.status_details = { paused: { subscription: { type: "pause_requested" }, transitioned_at: em.clock.now(), type: "subscription" } };
  });
  emit(em, "customer.subscription.paused", renderSubscription(em, subscription));
}

/** Resume: with anchor `now` a new period starts and is billed at once; `unchanged` keeps the cycle. */
export function resumeSubscription(em: Emulator, subscription: Stripe.Subscription, anchor: "now" | "unchanged"): void {
  if (subscription.status !== "paused") throw invalidRequest("Only a paused subscription can be resumed.", "subscription");
  const now = em.clock.now();
  const recurring = firstItem(subscription).price.recurring;
  if (!recurring) throw invalidRequest("The subscription's price is not recurring.", "subscription");
  const cycleAnchor = anchor === "now" ? now : subscription.billing_cycle_anchor;
  const end = nextPeriodEnd(cycleAnchor, recurring.interval, recurring.interval_count, now);
  let paid = true;
  let invoiceId: string | null = null;
  if (anchor === "now") {
    const invoice = buildSubscriptionInvoice(em, subscription, "subscription_update", { start: now, end });
    createAndFinalize(em, invoice);
    paid = chargeInvoice(em, invoice, { onSession: false, nextAttemptAt: null });
    invoiceId = invoice.id;
  }
  updateSubscription(em, subscription, () => {
    subscription.billing_cycle_anchor = cycleAnchor;
    for (const item of subscription.items.data) {
      item.current_period_start = anchor === "now" ? now : item.current_period_start;
      item.current_period_end = end;
    }
    if (invoiceId) subscription.latest_invoice = invoiceId;
    subscription.status = paid ? "active" : "past_due";
    delete subscription.status_details;
  });
  emit(em, "customer.subscription.resumed", renderSubscription(em, subscription));
}

export type AnchorPaymentBehavior = "allow_incomplete" | "default_incomplete" | "error_if_incomplete" | "pending_if_incomplete";

/** A new period from now, billed at once: what `billing_cycle_anchor[type]=now` starts. */
export interface PeriodFromNow {
  start: number;
  end: number;
  invoice: string;
  paid: boolean;
}

/**
 * `billing_cycle_anchor[type]=now` on an update: a full period starts now and its invoice is made at
 * once (no credit for the period it replaces: the emulator makes no prorations, as
 * `proration_behavior=none` asks). While collection stays paused the invoice is settled as the
 * pause says. A charge that fails with `error_if_incomplete` voids the invoice and answers 402,
 * the subscription unchanged; otherwise it stays open and the subscription goes past_due.
 * Call before changing the subscription; `applyPeriodFromNow` inside its update.
 */
export function billPeriodFromNow(
  em: Emulator,
  subscription: Stripe.Subscription,
  pause: Stripe.Subscription.PauseCollection | null,
  paymentBehavior: AnchorPaymentBehavior,
): PeriodFromNow {
  const now = em.clock.now();
  const recurring = firstItem(subscription).price.recurring;
  if (!recurring) throw invalidRequest("The subscription's price is not recurring.", "billing_cycle_anchor[type]");
  const end = nextPeriodEnd(now, recurring.interval, recurring.interval_count, now);
  const invoice = buildSubscriptionInvoice(em, subscription, "subscription_update", { start: now, end });
  if (pause) {
    settlePausedInvoice(em, invoice, pause.behavior);
    return { start: now, end, invoice: invoice.id, paid: false };
  }
  createAndFinalize(em, invoice);
  const { retryDays, retries } = em.config.dunning;
  const errorIfIncomplete = paymentBehavior === "error_if_incomplete";
  const paid = chargeInvoice(em, invoice, { onSession: false, nextAttemptAt: !errorIfIncomplete && retries > 0 ? now + retryDays * 86_400 : null });
  if (!paid && errorIfIncomplete) {
    invoice.status = "void";
    invoice.status_transitions.voided_at = now;
    emit(em, "invoice.voided", render(em, invoice));
    em.store.changed();
    throw new StripeApiError(402, "card_error", "Your card was declined.", { code: "card_declined" });
  }
  if (!paid) startDunning(em, subscription, invoice);
  return { start: now, end, invoice: invoice.id, paid };
}

/** Mutation only: the subscription's cycle restarts at the billed period (inside `updateSubscription`). */
export function applyPeriodFromNow(subscription: Stripe.Subscription, period: PeriodFromNow, paused: boolean): void {
  subscription.billing_cycle_anchor = period.start;
  for (const item of subscription.items.data) {
    item.current_period_start = period.start;
    item.current_period_end = period.end;
  }
  subscription.latest_invoice = period.invoice;
  if (!paused) subscription.status = period.paid ? "active" : "past_due";
}

/** When invoice.upcoming is due for the coming renewal, or null (not configured, sent, or no renewal coming). */
export function upcomingInvoiceAt(em: Emulator, subscription: Stripe.Subscription): number | null {
  const days = em.config.upcomingInvoiceDays;
  if (days === false || (subscription.status !== "active" && subscription.status !== "trialing")) return null;
  if (subscription.cancel_at !== null || subscription.cancel_at_period_end) return null;
  const renewal = subscription.status === "trialing" && subscription.trial_end ? subscription.trial_end : firstItem(subscription).current_period_end;
  if (em.store.state.upcoming_sent[subscription.id] === renewal) return null;
  return Math.max(firstItem(subscription).current_period_start, renewal - days * 86_400);
}

/** invoice.upcoming: a preview of the next invoice (discounts in force then), not stored. */
export function sendUpcomingInvoice(em: Emulator, subscription: Stripe.Subscription): void {
  const item = firstItem(subscription);
  const recurring = item.price.recurring;
  const start = subscription.status === "trialing" && subscription.trial_end ? subscription.trial_end : item.current_period_end;
  if (!recurring) return;
  em.store.state.upcoming_sent[subscription.id] = start;
  const end = nextPeriodEnd(subscription.billing_cycle_anchor, recurring.interval, recurring.interval_count, start);
  const preview = buildSubscriptionInvoice(em, subscription, "subscription_cycle", { start, end }, { preview: true });
  emit(em, "invoice.upcoming", preview);
}
