import type { Grant, SubscriptionRow } from "@/db/schema";
import type { Entitlement } from "@/lib/access/reader";

const DAY_MS = 86_400_000;

type SubscriptionFacts = Pick<
  SubscriptionRow,
  "status" | "currentPeriodStart" | "currentPeriodEnd" | "cancelAtPeriodEnd" | "cancelAt" | "endedAt" | "trialEnd" | "clockOffsetSeconds"
> &
  Pick<SubscriptionRow, "collectionPaused" | "pausedUntil">;
type GrantFacts = Pick<Grant, "startsAt" | "endsAt" | "revokedAt">;

/**
 * Whether a subscription gives the right to read in full at `now`, and until when. Dates are
 * judged on Stripe's clock for that subscription (our clock plus its offset). Blocks when unsure.
 */
export function subscriptionEntitlement(sub: SubscriptionFacts, now: Date, graceDays: number): Entitlement | null {
  const at = now.getTime() + sub.clockOffsetSeconds * 1000;
  const toOurClock = (d: Date) => new Date(d.getTime() - sub.clockOffsetSeconds * 1000);
  const scheduledEnd = sub.cancelAt ?? (sub.cancelAtPeriodEnd ? sub.currentPeriodEnd : null);
  // Paused collection (our pause): no access until it resumes, by itself at pausedUntil.
  if (sub.collectionPaused && (sub.pausedUntil === null || sub.pausedUntil.getTime() > at)) return null;
  switch (sub.status) {
    case "active":
    case "trialing": {
      // Renewing subscriptions have no end; one set to cancel ends at its scheduled time.
      if (scheduledEnd && scheduledEnd.getTime() <= at) return null;
      return { source: "subscription", until: scheduledEnd ? toOurClock(scheduledEnd) : null };
    }
    case "past_due": {
      // The paid period ended when the unpaid one started; access lasts the grace period after it.
      const paidUntil = sub.currentPeriodStart;
      if (!paidUntil) return null;
      const graceEnd = new Date(paidUntil.getTime() + graceDays * DAY_MS);
      return graceEnd.getTime() > at ? { source: "subscription", until: toOurClock(graceEnd) } : null;
    }
    case "canceled": {
      // Cancelled at period end: the period already paid for still runs.
      const ends = [sub.currentPeriodEnd, sub.endedAt].filter((d): d is Date => d !== null);
      if (!sub.currentPeriodEnd) return null;
      const end = new Date(Math.min(...ends.map((d) => d.getTime())));
      return end.getTime() > at ? { source: "subscription", until: toOurClock(end) } : null;
    }
    default:
      // incomplete, incomplete_expired, unpaid, paused, or anything new: no access.
      return null;
  }
}

export function grantEntitlement(grant: GrantFacts, now: Date): Entitlement | null {
  if (grant.revokedAt || grant.startsAt.getTime() > now.getTime()) return null;
  if (grant.endsAt && grant.endsAt.getTime() <= now.getTime()) return null;
  return { source: "grant", until: grant.endsAt };
}

/** The one entitlement decision: the longest right among a user's subscriptions and grants. */
export function entitlementFor(subs: SubscriptionFacts[], grants: GrantFacts[], now: Date, graceDays: number): Entitlement | null {
  const rights = [
    ...subs.map((s) => subscriptionEntitlement(s, now, graceDays)),
    ...grants.map((g) => grantEntitlement(g, now)),
  ].filter((e): e is Entitlement => e !== null);
  if (rights.length === 0) return null;
  return rights.reduce((best, e) => (best.until === null ? best : e.until === null || e.until > best.until ? e : best));
}
