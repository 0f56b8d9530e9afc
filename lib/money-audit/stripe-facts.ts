import { subscriptionFactColumns, type SubscriptionFacts } from "@/lib/access/subscription-facts";
import { subscriptionCopy } from "@/lib/billing/stripe-rows";
import type { LedgerSubscription } from "./ledger";

/** Every fact column, unset: the base that Stripe's and our own facts are laid over. */
const unset = () => Object.fromEntries(Object.keys(subscriptionFactColumns).map((k) => [k, null])) as unknown as SubscriptionFacts;
const factsOfRow = (row: NonNullable<LedgerSubscription["row"]>) =>
  Object.fromEntries(Object.keys(subscriptionFactColumns).map((k) => [k, row[k as keyof typeof row]])) as unknown as SubscriptionFacts;

/**
 * The entitlement's facts as Stripe's object has them (through the same boundary our rows are
 * written by); facts we derive ourselves and Stripe's object does not carry stay our row's.
 */
export function stripeFacts(s: LedgerSubscription): SubscriptionFacts {
  const copy = subscriptionCopy(s.stripe, s.offsetSeconds);
  return {
    ...unset(),
    ...(s.row ? factsOfRow(s.row) : {}),
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
