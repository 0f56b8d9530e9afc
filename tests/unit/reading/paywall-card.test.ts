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
    subscribed: false,
    offer: null,
    paused: null,
    today: "2026-12-28",
    trialUsedOn: [],
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

describe("the featured offer on the card", () => {
  const offer = {
    code: "TWO-FOR-3",
    name: "Three months for $2",
    newCustomersOnly: true,
    plans: [{ id: 7, name: "Monthly", headline: "$2.00/month for 3 months, then $8.00/month", renewal: "Then $8.00/month, renewing until you cancel; cancel any time." }],
  };

  it("shows the terms and starts Checkout with the offer, returning to the article", () => {
    const markup = card({ offer, articlePath: "/articles/harbour" });
    expect(markup).toContain('data-offer="TWO-FOR-3"');
    expect(markup).toContain("$2.00/month for 3 months, then $8.00/month");
    const form = markup.slice(markup.indexOf('<form', markup.indexOf("paywall__offer")), markup.indexOf("</form>", markup.indexOf("paywall__offer")));
    expect(form).toContain('name="offer" value="TWO-FOR-3"');
    expect(form).toContain('name="plan" value="7"');
    expect(form).toContain('name="return" value="/articles/harbour"');
    expect(markup).toContain("For new subscribers.");
  });

  it("is absent without one, and escapes what the admin typed", () => {
    expect(card({})).not.toContain("paywall__offer");
    expect(card({ offer: { ...offer, name: '<img src=x onerror="alert(1)">' } })).not.toContain("<img src=x");
  });
});

describe("a signed-in reader with a live subscription is never sold a second one", () => {
  const plans = [{ id: 1, name: "Monthly", amount: 800, currency: "usd", interval: "month" as const, trialDays: 0, trialPerPlan: false, description: null, features: [] }];
  const offer = { code: "HALF", name: "Half off", newCustomersOnly: true, plans: [{ id: 1, name: "Monthly", headline: "$4.00/month", renewal: "then $8.00/month" }] };

  it("says so, with no plan, no offer and no checkout form", () => {
    const markup = card({ signedIn: true, subscribed: true, plans, offer });
    expect(markup).toContain("You already subscribe");
    expect(markup).not.toContain("/subscribe/checkout");
    expect(markup).not.toContain("Half off");
  });

  it("a reader without one still sees the plans and the offer", () => {
    const markup = card({ signedIn: true, subscribed: false, plans, offer });
    expect(markup).not.toContain("You already subscribe");
    expect(markup).toContain("/subscribe/checkout");
  });
});

describe("a paused subscriber's card", () => {
  const offer = { code: "NEW-HALF", name: "Half off", newCustomersOnly: true, plans: [{ id: 7, name: "Monthly", headline: "$4.00/month", renewal: "then $8.00/month" }] };
  const plans: PaywallCardInput["plans"] = [{ id: 7, name: "Monthly", amount: 800, currency: "usd", interval: "month", trialDays: 0, trialPerPlan: false, description: null, features: [] }];

  it("says until when and offers Resume now, not a subscription or the new-customer offer", () => {
    const markup = card({ signedIn: true, offer, plans, paused: { until: new Date("2027-01-07T10:00:00Z") } });
    expect(markup).toContain("Your subscription is paused until January 7, 2027.");
    expect(markup).toContain('<a class="button" href="/account">Resume now</a>');
    expect(markup).not.toContain("paywall__offer");
    expect(markup).not.toContain("/subscribe");
    expect(markup).not.toContain("Choose Monthly");
  });

  it("without an end date, still offers Resume now", () => {
    expect(card({ signedIn: true, paused: { until: null } })).toContain("Your subscription is paused. <a");
  });
});

describe("every price on the card carries one renewal line", () => {
  const plan = (over: Partial<PaywallCardInput["plans"][number]>) => ({
    id: 1,
    name: "Monthly",
    description: null,
    amount: 800,
    currency: "usd",
    interval: "month" as const,
    trialDays: 0,
    trialPerPlan: false,
    features: [],
    ...over,
  });
  const lines = (markup: string) => [...markup.matchAll(/<p class="plan__renewal">([^<]*)<\/p>/g)].map((m) => m[1]);

  it("says a plan renews until cancelled, and dates the first charge after a trial (across the year end)", () => {
    const markup = card({ plans: [plan({}), plan({ id: 2, name: "Yearly", amount: 8000, interval: "year", trialDays: 7 })] });
    expect(lines(markup)).toEqual([
      "Renews at $8.00 / month until you cancel; cancel any time.",
      "7 days free, then $80.00 / year from January 4, 2027, renewing until you cancel; cancel any time.",
    ]);
    // The trial is said once, in that line.
    expect(markup.match(/days? free/g)).toHaveLength(1);
  });

  it("promises no trial on a plan whose trial the reader's account has had: the plain price line instead", () => {
    const plans = [plan({}), plan({ id: 2, name: "Yearly", amount: 8000, interval: "year", trialDays: 7 })];
    const markup = card({ plans, signedIn: true, trialUsedOn: [2] });
    expect(markup).not.toMatch(/days? free/);
    expect(lines(markup)).toEqual(["Renews at $8.00 / month until you cancel; cancel any time.", "Renews at $80.00 / year until you cancel; cancel any time."]);
    // Another plan's used trial takes nothing from this one.
    expect(card({ plans, signedIn: true, trialUsedOn: [1] })).toContain("7 days free");
  });

  it("names the currency when the plans on sale are in more than one", () => {
    const markup = card({ plans: [plan({}), plan({ id: 2, name: "Monthly (CAD)", currency: "cad", amount: 1100 })] });
    expect(markup).toContain("$8.00 USD / month");
    expect(markup).toContain("CA$11.00 CAD / month");
    expect(lines(markup)).toEqual(["Renews at $8.00 USD / month until you cancel; cancel any time.", "Renews at CA$11.00 CAD / month until you cancel; cancel any time."]);
    expect(card({ plans: [plan({})] })).not.toContain("USD");
  });

  it("gives the featured offer's plans their renewal line too", () => {
    const offer = { code: "X", name: "Offer", newCustomersOnly: false, plans: [{ id: 7, name: "Monthly", headline: "Free for the first month, then $8.00/month", renewal: "Then $8.00/month, renewing until you cancel; cancel any time." }] };
    expect(lines(card({ offer }))).toContain("Then $8.00/month, renewing until you cancel; cancel any time.");
  });
});
