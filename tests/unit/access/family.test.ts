import { describe, expect, it } from "vitest";
import { familyAccess, type FamilyShare } from "@/lib/access/family";
import { subscriptionFacts } from "../../support/subscription-facts";

const now = new Date("2026-11-26T12:00:00Z");
const DAY = 86_400_000;
const period = { start: new Date(now.getTime() - 10 * DAY), end: new Date(now.getTime() + 20 * DAY) };
const share = (over: Partial<FamilyShare> = {}, facts = {}): FamilyShare => ({
  stripeSubscriptionId: "sub_f",
  payerUserId: "payer",
  familyAccounts: 4,
  removed: false,
  facts: subscriptionFacts(period, facts),
  ...over,
});

// Exactly when the payer's subscription reads for the payer (lib/access/entitlement.ts), on a family plan.
describe("familyAccess", () => {
  it.each([
    ["renewing", share(), { until: null }],
    ["cancel at period end: until the end", share({}, { cancelAtPeriodEnd: true }), { until: period.end }],
    ["past due, inside 3 days' grace", share({}, { status: "past_due", currentPeriodStart: new Date(now.getTime() - 2 * DAY) }), { until: new Date(now.getTime() + DAY) }],
    ["past due, after the grace", share({}, { status: "past_due", currentPeriodStart: new Date(now.getTime() - 4 * DAY) }), null],
    ["cancelled, period over", share({}, { status: "canceled", currentPeriodEnd: new Date(now.getTime() - DAY) }), null],
    ["paused, unpaid period", share({}, { paidThrough: new Date(now.getTime() - DAY) }), null],
    ["incomplete", share({}, { status: "incomplete" }), null],
    ["plan no longer a family plan", share({ familyAccounts: null }), null],
    ["nobody owns the subscription", share({ payerUserId: null }), null],
    ["removed by the payer", share({ removed: true }), null],
  ] as const)("%s", (_name, s, expected) => {
    const access = familyAccess([s], now, 3);
    expect(access).toEqual(expected === null ? null : { stripeSubscriptionId: "sub_f", ...expected });
  });

  it("the longest of several places wins", () => {
    const ending = share({ stripeSubscriptionId: "sub_a" }, { cancelAtPeriodEnd: true });
    const renewing = share({ stripeSubscriptionId: "sub_b" });
    expect(familyAccess([ending, renewing], now, 3)?.stripeSubscriptionId).toBe("sub_b");
  });
});
