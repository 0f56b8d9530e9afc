import { subscriptionEntitlement } from "./entitlement";
import type { SubscriptionFacts } from "./subscription-facts";

/**
 * A place in a payer's family subscription, as the member's facts carry it: the payer's
 * subscription (its deciding columns, on Stripe's clock) and whether its plan is a family plan.
 */
export interface FamilyShare {
  stripeSubscriptionId: string;
  /** The payer: a change to them (a webhook, a cancel) forgets the members' cached facts too. Null: a subscription nobody owns, which shares nothing. */
  payerUserId: string | null;
  /** The plan's family size (accounts, the payer included); null when the plan is not (or no longer) a family plan. */
  familyAccounts: number | null;
  /** The payer removed this reader: the place reads no more (a place the reader left is not a share at all). */
  removed: boolean;
  facts: SubscriptionFacts;
}

/** Reading through a family place, already judged against the clock: it names the payer's subscription. */
export interface FamilyAccess {
  stripeSubscriptionId: string;
  /** When the payer's subscription stops reading for the payer; null for no set end (it renews). */
  until: Date | null;
}

/**
 * The family place that reads now: exactly when the payer's subscription itself entitles the
 * payer (grace, a pause's paid days, cancel at period end included; the payer's grants, gifts
 * and licences never count), on a plan that is a family plan. The longest one wins.
 */
export function familyAccess(shares: readonly FamilyShare[], now: Date, graceDays: number): FamilyAccess | null {
  let best: FamilyAccess | null = null;
  for (const share of shares) {
    if (share.removed || share.payerUserId === null || share.familyAccounts === null) continue;
    const right = subscriptionEntitlement(share.facts, now, graceDays);
    if (!right) continue;
    const access = { stripeSubscriptionId: share.stripeSubscriptionId, until: right.until };
    if (!best || (best.until !== null && (access.until === null || access.until > best.until))) best = access;
  }
  return best;
}
