import { describe, expect, it } from "vitest";
import { entitlementFor, subscriptionEntitlement } from "@/lib/access/entitlement";
import { subscriptionFacts } from "../../support/subscription-facts";

const now = new Date("2026-11-26T12:00:00Z");
const day = 86_400_000;
const at = (days: number) => new Date(now.getTime() + days * day);
const GRACE = 3;

type Sub = Parameters<typeof subscriptionEntitlement>[0];
const sub = (over: Partial<Sub>): Sub => subscriptionFacts({ start: at(-10), end: at(20) }, over);

// status x dates → entitled?
const table: Array<[string, Partial<Sub>, boolean]> = [
  ["active, renewing", {}, true],
  ["active, set to cancel at period end, period running", { cancelAtPeriodEnd: true }, true],
  ["active, set to cancel, period over (webhook late)", { cancelAtPeriodEnd: true, currentPeriodEnd: at(-1) }, false],
  ["active, cancel_at in the past", { cancelAt: at(-1) }, false],
  ["trialing", { status: "trialing", trialEnd: at(5) }, true],
  ["past_due inside the grace period", { status: "past_due", currentPeriodStart: at(-2), currentPeriodEnd: at(28) }, true],
  ["past_due after the grace period", { status: "past_due", currentPeriodStart: at(-4), currentPeriodEnd: at(26) }, false],
  ["past_due with no period", { status: "past_due", currentPeriodStart: null }, false],
  ["canceled at period end, period still running", { status: "canceled", endedAt: at(20), currentPeriodEnd: at(20) }, true],
  ["canceled, period over", { status: "canceled", currentPeriodEnd: at(-1), endedAt: at(-1) }, false],
  ["canceled immediately, period would have run", { status: "canceled", endedAt: at(-1), currentPeriodEnd: at(20) }, false],
  ["incomplete", { status: "incomplete" }, false],
  ["incomplete_expired", { status: "incomplete_expired" }, false],
  ["unpaid", { status: "unpaid" }, false],
  ["paused", { status: "paused" }, false],
  // Our pause is Stripe's pause_collection on an active subscription: the period paid for runs
  // to its end; the renewals inside the pause are voided, and a voided period is never read.
  ["active, pause starting at this period's end: the paid period still runs", { collectionPaused: true, pausedUntil: at(50) }, true],
  ["active, pause with no resume date: the paid period still runs", { collectionPaused: true }, true],
  ["active, paused period paid through yesterday", { collectionPaused: true, pausedUntil: at(30), currentPeriodEnd: at(-1) }, false],
  ["active, current period voided by the pause", { collectionPaused: true, pausedUntil: at(30), paidThrough: at(-10) }, false],
  ["active, pause over but the voided period still runs (resume not yet paid)", { paidThrough: at(-10) }, false],
  ["active, pause ends before the renewal: renews as usual", { collectionPaused: true, pausedUntil: at(10) }, true],
  ["active, paused with no known period end blocks", { collectionPaused: true, currentPeriodEnd: null }, false],
  ["canceled during a voided period", { status: "canceled", endedAt: at(20), currentPeriodEnd: at(20), paidThrough: at(-10) }, false],
  ["test clock ahead: the paid period before the pause is over on Stripe's clock", { collectionPaused: true, pausedUntil: at(60), clockOffsetSeconds: 30 * 86_400 }, false],
  ["an unknown status blocks", { status: "future_status" as never }, false],
  // Stripe's clock runs 30 days ahead of ours (a test clock): its dates are judged on its clock.
  ["test clock ahead: canceled period ended on Stripe's clock", { status: "canceled", currentPeriodEnd: at(20), endedAt: at(20), clockOffsetSeconds: 30 * 86_400 }, false],
  ["test clock ahead: past_due in grace on Stripe's clock", { status: "past_due", currentPeriodStart: at(29), clockOffsetSeconds: 30 * 86_400 }, true],
];

describe("subscriptionEntitlement", () => {
  it.each(table)("%s", (_name, over, entitled) => {
    expect(subscriptionEntitlement(sub(over), now, GRACE) !== null).toBe(entitled);
  });

  it("reports until when, on our clock", () => {
    expect(subscriptionEntitlement(sub({}), now, GRACE)?.until).toBeNull();
    expect(subscriptionEntitlement(sub({ cancelAtPeriodEnd: true }), now, GRACE)?.until).toEqual(at(20));
    expect(subscriptionEntitlement(sub({ status: "past_due", currentPeriodStart: at(-1) }), now, GRACE)?.until).toEqual(at(2));
    expect(subscriptionEntitlement(sub({ collectionPaused: true, pausedUntil: at(50) }), now, GRACE)?.until).toEqual(at(20));
  });
});

describe("entitlementFor with grants", () => {
  const grant = (over: Partial<{ startsAt: Date; endsAt: Date | null; revokedAt: Date | null; giftSubscriptionId: number | null }>) => ({
    startsAt: at(-1),
    endsAt: at(10),
    revokedAt: null,
    giftSubscriptionId: null,
    ...over,
  });
  it.each([
    ["no rights", [], [], false],
    ["a running grant", [], [grant({})], true],
    ["a grant with no end", [], [grant({ endsAt: null })], true],
    ["an expired grant", [], [grant({ endsAt: at(-0.5) })], false],
    ["a future grant", [], [grant({ startsAt: at(1) })], false],
    ["a revoked grant", [], [grant({ revokedAt: at(-0.1) })], false],
    ["an unpaid subscription and a grant", [sub({ status: "unpaid" })], [grant({})], true],
    ["a lapsed subscription, no grant", [sub({ status: "canceled", currentPeriodEnd: at(-1), endedAt: at(-1) })], [], false],
  ] as const)("%s", (_name, subs, grants, entitled) => {
    expect(entitlementFor([...subs], [...grants], now, GRACE) !== null).toBe(entitled);
  });

  it("picks the longest right", () => {
    const e = entitlementFor([sub({ cancelAtPeriodEnd: true })], [grant({ endsAt: at(40) })], now, GRACE);
    expect(e).toEqual({ source: "grant", until: at(40) });
    expect(entitlementFor([], [grant({ endsAt: at(40), giftSubscriptionId: 7 })], now, GRACE)).toEqual({ source: "gift-subscription", until: at(40) });
    expect(entitlementFor([sub({})], [grant({ endsAt: at(40) })], now, GRACE)).toEqual({ source: "subscription", until: null });
  });
});
