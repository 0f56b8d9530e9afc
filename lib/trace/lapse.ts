import type { Grant } from "@/db/schema";
import { pauseInEffect } from "@/lib/access/entitlement";
import { onOurClock, type SubscriptionFacts } from "@/lib/access/subscription-facts";

type GrantFacts = Pick<Grant, "startsAt" | "endsAt" | "revokedAt">;

/** Why a reader who once could read everything no longer can, on our clock. */
export type Lapse =
  | { kind: "subscription-ended"; on: Date }
  | { kind: "paused"; on: Date; until: Date | null }
  | { kind: "payment-failed"; on: Date }
  | { kind: "first-payment-incomplete"; on: Date | null }
  | { kind: "grant-ended"; on: Date };

/**
 * The most recent way a signed-in reader's access ended, for a reader who is not entitled now
 * (see entitlementFor); null when they never had any. Dates on a subscription are on Stripe's
 * clock for it and are moved to ours (onOurClock).
 */
export function latestLapse(subs: SubscriptionFacts[], grants: GrantFacts[], now: Date): Lapse | null {
  const lapses: Lapse[] = [];
  for (const sub of subs) {
    const ours = (d: Date | null) => onOurClock(d, sub.clockOffsetSeconds);
    const scheduledEnd = sub.cancelAt ?? (sub.cancelAtPeriodEnd ? sub.currentPeriodEnd : null);
    const pause = pauseInEffect(sub, now);
    if (pause) {
      lapses.push({ kind: "paused", on: pause.since, until: pause.until });
    } else if (sub.status === "canceled") {
      const ends = [sub.currentPeriodEnd, sub.endedAt].filter((d): d is Date => d !== null);
      if (ends.length > 0) lapses.push({ kind: "subscription-ended", on: ours(new Date(Math.min(...ends.map((d) => d.getTime()))))! });
    } else if ((sub.status === "active" || sub.status === "trialing") && scheduledEnd) {
      lapses.push({ kind: "subscription-ended", on: ours(scheduledEnd)! });
    } else if ((sub.status === "past_due" || sub.status === "unpaid") && sub.currentPeriodStart) {
      lapses.push({ kind: "payment-failed", on: ours(sub.currentPeriodStart)! });
    } else if (sub.status === "incomplete" || sub.status === "incomplete_expired") {
      lapses.push({ kind: "first-payment-incomplete", on: ours(sub.currentPeriodStart) });
    }
  }
  for (const grant of grants) {
    const ended = grant.revokedAt ?? grant.endsAt;
    if (ended && ended.getTime() <= now.getTime()) lapses.push({ kind: "grant-ended", on: ended });
  }
  const time = (l: Lapse) => l.on?.getTime() ?? 0;
  return lapses.filter((l) => time(l) <= now.getTime()).sort((a, b) => time(b) - time(a))[0] ?? null;
}
