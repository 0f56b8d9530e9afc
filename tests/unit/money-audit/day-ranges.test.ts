import { describe, expect, it } from "vitest";
import type { SubscriptionFacts } from "@/lib/access/subscription-facts";
import { DAY_MS, merge, readableFromRow, subtract } from "@/lib/money-audit/day-ranges";
import { subscriptionFacts } from "../../support/subscription-facts";

const at = new Date("2027-03-10T12:00:00Z");
const day = (n: number) => at.getTime() + n * DAY_MS;
const row = (facts: Partial<SubscriptionFacts>): SubscriptionFacts => subscriptionFacts({ start: new Date(day(-10)), end: new Date(day(20)) }, facts);

describe("money audit: days", () => {
  it("joins and subtracts ranges", () => {
    expect(merge([{ start: 5, end: 9 }, { start: 1, end: 5 }, { start: 12, end: 12 }])).toEqual([{ start: 1, end: 9 }]);
    expect(subtract([{ start: 0, end: 10 }], [{ start: 2, end: 4 }, { start: 8, end: 20 }])).toEqual([
      { start: 0, end: 2 },
      { start: 4, end: 8 },
    ]);
  });

  it("an active row is readable to its period's end, not beyond (the renewal is its own invoice's business)", () => {
    expect(readableFromRow(row({}), at, 3)).toEqual([{ start: day(0), end: day(20) }]);
  });

  it("past due: readable for the grace days after the unpaid period began, on our clock", () => {
    expect(readableFromRow(row({ status: "past_due", currentPeriodStart: new Date(day(-1)) }), at, 3)).toEqual([{ start: day(0), end: day(2) }]);
    // Stripe's clock a day ahead of ours: the same dates fall a day earlier here.
    expect(readableFromRow(row({ status: "past_due", currentPeriodStart: new Date(day(-1)), clockOffsetSeconds: 86_400 }), at, 3)).toEqual([{ start: day(0), end: day(1) }]);
  });

  it("set to cancel: readable to the cancel time, which cuts the range", () => {
    expect(readableFromRow(row({ cancelAt: new Date(day(6)) }), at, 3)).toEqual([{ start: day(0), end: day(6) }]);
  });

  it("a cancelled row is readable to the earlier of its period's end and its end", () => {
    expect(readableFromRow(row({ status: "canceled", endedAt: new Date(day(4)) }), at, 3)).toEqual([{ start: day(0), end: day(4) }]);
    expect(readableFromRow(row({ status: "incomplete" }), at, 3)).toEqual([]);
  });
});
