import type { SubscriptionFacts } from "@/lib/access/subscription-facts";
import { subscriptionCopy } from "@/lib/billing/stripe-rows";
import type { LedgerSubscription } from "./ledger";

/** The entitlement's facts as Stripe's object has them (the same boundary our rows are written through). */
export function stripeFacts(s: LedgerSubscription): SubscriptionFacts {
  const copy = subscriptionCopy(s.stripe, s.offsetSeconds);
  return {
    status: copy.status,
    currentPeriodStart: copy.currentPeriodStart ?? null,
    currentPeriodEnd: copy.currentPeriodEnd ?? null,
    cancelAtPeriodEnd: copy.cancelAtPeriodEnd ?? false,
    cancelAt: copy.cancelAt ?? null,
    endedAt: copy.endedAt ?? null,
    trialEnd: copy.trialEnd ?? null,
    clockOffsetSeconds: s.offsetSeconds,
    collectionPaused: copy.collectionPaused ?? false,
    pausedUntil: copy.pausedUntil ?? null,
  };
}
