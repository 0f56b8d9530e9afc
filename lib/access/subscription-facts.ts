import { type SubscriptionRow, subscriptions } from "@/db/schema";

// What billing supplies for the entitlement rules (./entitlement.ts): a subscription row's
// deciding columns, dates on Stripe's clock with the offset beside them, and the one shift onto
// ours. lib/billing/stripe-rows.ts re-exports them for the Stripe boundary.

/** The columns of a subscription's row that decide its entitlement (dates on Stripe's clock, with the offset). */
export const subscriptionFactColumns = {
  status: subscriptions.status,
  currentPeriodStart: subscriptions.currentPeriodStart,
  currentPeriodEnd: subscriptions.currentPeriodEnd,
  cancelAtPeriodEnd: subscriptions.cancelAtPeriodEnd,
  cancelAt: subscriptions.cancelAt,
  endedAt: subscriptions.endedAt,
  trialEnd: subscriptions.trialEnd,
  clockOffsetSeconds: subscriptions.clockOffsetSeconds,
  // Stripe's pause_collection (our pause) and a current period left unpaid by it: access is
  // judged by the last paid period, not by the status (which stays "active").
  collectionPaused: subscriptions.collectionPaused,
  pausedUntil: subscriptions.pausedUntil,
  paidThrough: subscriptions.paidThrough,
};
export type SubscriptionFacts = Pick<SubscriptionRow, keyof typeof subscriptionFactColumns>;

/** A date stored on Stripe's clock, on ours: the one place an offset is applied. */
export function onOurClock(stripeDate: Date, clockOffsetSeconds: number): Date;
export function onOurClock(stripeDate: Date | null, clockOffsetSeconds: number): Date | null;
export function onOurClock(stripeDate: Date | null, clockOffsetSeconds: number): Date | null {
  return stripeDate === null ? null : new Date(stripeDate.getTime() - clockOffsetSeconds * 1000);
}
