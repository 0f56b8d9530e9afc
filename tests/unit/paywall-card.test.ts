import { describe, expect, it } from "vitest";
import { meterLine, paywallCard, windowPhrase, type PaywallCardInput } from "@/lib/reading/paywall-card";

const card = (input: Partial<PaywallCardInput>) =>
  paywallCard({
    articlePath: "/articles/x",
    reason: "meter-exhausted",
    heading: "Subscribe",
    body: "Body",
    plans: [],
    locale: "en-US",
    remaining: 0,
    limit: 3,
    windowDays: 30,
    registerFor: 0,
    signedIn: false,
    ...input,
  }).value;

describe("the paywall card's wording follows the meter window", () => {
  it.each([
    [30, "this month"],
    [7, "this week"],
    [1, "today"],
    [365, "this year"],
    [14, "in this 14-day period"],
  ])("a %i-day window reads %s", (days, phrase) => {
    expect(windowPhrase(days)).toBe(phrase);
    expect(meterLine(2, days)).toBe(`2 free articles left ${phrase}.`);
    expect(card({ windowDays: days })).toContain(`You have read your 3 free articles ${phrase}.`);
  });

  it("says one article in the singular", () => {
    expect(meterLine(1, 30)).toBe("1 free article left this month.");
    expect(card({ limit: 1, windowDays: 7 })).toContain("You have read your 1 free article this week.");
  });
});
