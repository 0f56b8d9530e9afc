import type { Grant, SubscriptionStatus } from "@/db/schema";
import type { Entitlement } from "./reader";
import { onOurClock, type SubscriptionFacts } from "./subscription-facts";

const DAY_MS = 86_400_000;

type GrantFacts = Pick<Grant, "startsAt" | "endsAt" | "revokedAt" | "giftSubscriptionId">;

/**
 * Whether a subscription gives the right to read in full at `now`, and until when. Its dates,
 * on Stripe's clock for that subscription, are brought to ours first. Blocks when unsure.
 */
/**
 * Statuses of a subscription that still bills or can be brought back by paying: a second one
 * bought beside it would charge the reader twice.
 */
export const LIVE_STATUSES: SubscriptionStatus[] = ["trialing", "active", "past_due", "unpaid", "paused"];

export function subscriptionEntitlement(sub: SubscriptionFacts, now: Date, graceDays: number): Entitlement | null {
  const at = now.getTime();
  const ours = (d: Date) => onOurClock(d, sub.clockOffsetSeconds);
  const scheduledEnd = sub.cancelAt ?? (sub.cancelAtPeriodEnd ? sub.currentPeriodEnd : null);
  switch (sub.status) {
    case "active":
    case "trialing": {
      // Renewing subscriptions have no end; one set to cancel ends at its scheduled time, and
      // one whose paid period is followed (or was replaced) by an unpaid one ends with it.
      const paidEnd = lastPaidDay(sub);
      if (paidEnd === "unknown") return null;
      const ends = [scheduledEnd, paidEnd].filter((d): d is Date => d !== null).map((d) => ours(d).getTime());
      const end = ends.length > 0 ? new Date(Math.min(...ends)) : null;
      if (end && end.getTime() <= at) return null;
      return { source: "subscription", until: end };
    }
    case "past_due": {
      // The paid period ended when the unpaid one started; access lasts the grace period after it.
      const paidUntil = sub.currentPeriodStart;
      if (!paidUntil) return null;
      const graceEnd = new Date(ours(paidUntil).getTime() + graceDays * DAY_MS);
      return graceEnd.getTime() > at ? { source: "subscription", until: graceEnd } : null;
    }
    case "canceled": {
      // Cancelled at period end: the period already paid for still runs (a voided one does not).
      const ends = [sub.currentPeriodEnd, sub.endedAt, sub.paidThrough].filter((d): d is Date => d !== null);
      if (!sub.currentPeriodEnd) return null;
      const end = ours(new Date(Math.min(...ends.map((d) => d.getTime()))));
      return end.getTime() > at ? { source: "subscription", until: end } : null;
    }
    default:
      // incomplete, incomplete_expired, unpaid, paused, or anything new: no access.
      return null;
  }
}

/**
 * The end of the last paid period (Stripe's clock) when the pause leaves a period unpaid: the
 * current one was voided (`paidThrough`), or the next renewal falls inside the pause and will
 * be (a pause ending exactly at the renewal counts as covering it: the reader gets less if
 * Stripe bills it after all). Null when the subscription renews as paid; "unknown" blocks.
 */
function lastPaidDay(sub: SubscriptionFacts): Date | null | "unknown" {
  if (sub.paidThrough) return sub.paidThrough;
  if (!sub.collectionPaused) return null;
  if (!sub.currentPeriodEnd) return "unknown";
  const coversRenewal = sub.pausedUntil === null || sub.pausedUntil.getTime() >= sub.currentPeriodEnd.getTime();
  return coversRenewal ? sub.currentPeriodEnd : null;
}

/** A pause that keeps a subscription from being read now, on our clock: since its paid days ended, until it ends (null: open-ended, or lifted and the next period not paid yet). */
export type PauseInEffect = { since: Date; until: Date | null };

export function pauseInEffect(sub: SubscriptionFacts, now: Date): PauseInEffect | null {
  if ((sub.status !== "active" && sub.status !== "trialing") || (!sub.collectionPaused && !sub.paidThrough)) return null;
  const paidEnd = lastPaidDay(sub);
  if (paidEnd === null || paidEnd === "unknown") return null;
  const since = onOurClock(paidEnd, sub.clockOffsetSeconds);
  if (since.getTime() > now.getTime()) return null;
  return { since, until: sub.collectionPaused ? onOurClock(sub.pausedUntil, sub.clockOffsetSeconds) : null };
}

export function grantEntitlement(grant: GrantFacts, now: Date): Entitlement | null {
  if (grant.revokedAt || grant.startsAt.getTime() > now.getTime()) return null;
  if (grant.endsAt && grant.endsAt.getTime() <= now.getTime()) return null;
  return { source: grant.giftSubscriptionId === null ? "grant" : "gift-subscription", until: grant.endsAt };
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
