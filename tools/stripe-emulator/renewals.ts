/**
 * Moves the world to a point in time: walks through every due moment in order (period ends,
 * trial ends, payment retries, checkout session expiry), sets the clock to it and applies it.
 */
import type Stripe from "stripe";
import type { Emulator } from "./context";
import { emit } from "./events";
import { cancelAtItsEnd, endTrial, periodEnd, renewSubscription, retryPayment } from "./lifecycle";
import { dropSpentDiscounts, nextDiscountEnd, resumeCollection, sendTrialWillEnd, sendUpcomingInvoice, trialWillEndAt, upcomingInvoiceAt } from "./pausing";
import { render } from "./render";

type Due = { at: number; run: () => void };

function subscriptionDue(em: Emulator, subscription: Stripe.Subscription): Due | null {
  const candidates: Due[] = [];
  const { status } = subscription;
  if (status === "trialing" && subscription.trial_end !== null) {
    const at = subscription.trial_end;
    const cancels = subscription.cancel_at !== null && subscription.cancel_at <= at;
    candidates.push({ at, run: () => (cancels ? cancelAtItsEnd(em, subscription) : endTrial(em, subscription)) });
  } else if (status === "active" || status === "past_due") {
    const at = periodEnd(subscription);
    const cancels = subscription.cancel_at !== null && subscription.cancel_at <= at;
    candidates.push({ at, run: () => (cancels ? cancelAtItsEnd(em, subscription) : renewSubscription(em, subscription)) });
  } else if (status === "unpaid" && subscription.cancel_at !== null) {
    const at = subscription.cancel_at;
    candidates.push({ at, run: () => cancelAtItsEnd(em, subscription) });
  }
  const notice = trialWillEndAt(em, subscription);
  if (notice !== null) candidates.push({ at: notice, run: () => sendTrialWillEnd(em, subscription) });
  const upcoming = upcomingInvoiceAt(em, subscription);
  if (upcoming !== null) candidates.push({ at: upcoming, run: () => sendUpcomingInvoice(em, subscription) });
  const resumesAt = subscription.pause_collection?.resumes_at ?? null;
  if (resumesAt !== null && status !== "canceled") candidates.push({ at: resumesAt, run: () => resumeCollection(em, subscription) });
  const discountEnd = nextDiscountEnd(em, subscription);
  if (discountEnd !== null && status !== "canceled") candidates.push({ at: discountEnd, run: () => dropSpentDiscounts(em, subscription, discountEnd) });
  const dunning = em.store.state.dunning[subscription.id];
  if (dunning?.next_attempt_at != null && status !== "canceled") {
    candidates.push({ at: dunning.next_attempt_at, run: () => retryPayment(em, subscription) });
  }
  candidates.sort((a, b) => a.at - b.at);
  return candidates[0] ?? null;
}

function sessionDue(em: Emulator, session: Stripe.Checkout.Session): Due | null {
  if (session.status !== "open") return null;
  return {
    at: session.expires_at,
    run: () => {
      session.status = "expired";
      emit(em, "checkout.session.expired", render(em, session));
    },
  };
}

function nextDue(em: Emulator): Due | null {
  let soonest: Due | null = null;
  for (const subscription of Object.values(em.store.state.subscriptions)) {
    const due = subscriptionDue(em, subscription);
    if (due && (!soonest || due.at < soonest.at)) soonest = due;
  }
  for (const session of Object.values(em.store.state.checkout_sessions)) {
    const due = sessionDue(em, session);
    if (due && (!soonest || due.at < soonest.at)) soonest = due;
  }
  return soonest;
}

const MAX_STEPS = 20_000;

/** Applies everything due up to `until` (unix seconds), then leaves the clock at `until`. */
export function processUntil(em: Emulator, until: number): number {
  const offsetBefore = em.clock.offset;
  let steps = 0;
  for (; steps < MAX_STEPS; steps++) {
    const due = nextDue(em);
    if (!due || due.at > until) break;
    em.clock.setTo(due.at);
    try {
      due.run();
    } catch (error) {
      em.config.log(`stripe-emulator: error while processing the clock: ${error instanceof Error ? error.stack : String(error)}`);
      break;
    }
  }
  if (steps === MAX_STEPS) em.config.log("stripe-emulator: stopped processing the clock after too many steps");
  em.clock.setTo(until);
  if (steps > 0 || em.clock.offset !== offsetBefore) em.store.changed();
  return steps;
}
