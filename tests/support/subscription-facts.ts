import type { SubscriptionFacts } from "@/lib/access/subscription-facts";

/**
 * A subscription's entitlement facts: active over the period, renewing, no trial, pause or end,
 * on our clock; a test overrides the facts it is about.
 */
export function subscriptionFacts(period: { start: Date; end: Date }, over: Partial<SubscriptionFacts> = {}): SubscriptionFacts {
  return {
    status: "active",
    currentPeriodStart: period.start,
    currentPeriodEnd: period.end,
    cancelAtPeriodEnd: false,
    cancelAt: null,
    endedAt: null,
    trialEnd: null,
    clockOffsetSeconds: 0,
    collectionPaused: false,
    pausedUntil: null,
    paidThrough: null,
    ...over,
  };
}
