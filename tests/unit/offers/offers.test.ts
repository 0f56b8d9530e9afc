/** Offers in plain words, net and list MRR with discounts of each duration, and the admin form's rules. */
import { describe, expect, it } from "vitest";
import { appliesToNextInvoice, discountedAmount, type DiscountTerms } from "@/lib/billing/discount-math";
import { offerFormSchema, offerPlacementSchema } from "@/lib/admin/offers/form";
import { listAndNetMrr, type RevenueSubscription } from "@/lib/offers/revenue";
import { describeOffer } from "@/lib/offers/wording";

const monthly = { amount: 800, currency: "usd", interval: "month" } as const;
const yearly = { amount: 8000, currency: "usd", interval: "year" } as const;
const none = { percentOff: null, amountOff: null, trialDays: null, durationMonths: null };

describe("describeOffer", () => {
  it.each([
    [{ ...none, kind: "amount", amountOff: 600, duration: "repeating", durationMonths: 3 }, monthly, "$2.00/month for 3 months, then $8.00/month"],
    [{ ...none, kind: "percent", percentOff: 50, duration: "once" }, yearly, "$40.00 for the first year, then $80.00/year"],
    [{ ...none, kind: "percent", percentOff: 100, duration: "once" }, monthly, "Free for the first month, then $8.00/month"],
    [{ ...none, kind: "percent", percentOff: 25, duration: "forever" }, monthly, "$6.00/month for as long as you subscribe (instead of $8.00/month)"],
    [{ ...none, kind: "trial", trialDays: 30, duration: "once" }, monthly, "30 days free, then $8.00/month"],
    [{ ...none, kind: "percent", percentOff: 10, duration: "repeating", durationMonths: 18 }, yearly, "$72.00/year for 2 years, then $80.00/year"],
    [{ ...none, kind: "amount", amountOff: 1000, duration: "once" }, monthly, "Free for the first month, then $8.00/month"],
  ] as const)("%o on %o", (offer, plan, headline) => {
    expect(describeOffer(offer, plan).headline).toBe(headline);
  });
});

describe("discount arithmetic", () => {
  it("rounds percentages half up to the minor unit, as Stripe does, and never goes below 0", () => {
    expect(discountedAmount(900, { percentBp: 3350, amountOff: null })).toBe(598);
    expect(discountedAmount(999, { percentBp: 5000, amountOff: null })).toBe(499);
    expect(discountedAmount(500, { percentBp: null, amountOff: 700 })).toBe(0);
  });

  const at = (day: number) => new Date(Date.UTC(2026, 0, day));
  const period = { status: "active", currentPeriodStart: at(1), currentPeriodEnd: at(32) };
  const discount = (d: Partial<DiscountTerms>): DiscountTerms => ({ percentBp: 5000, amountOff: null, duration: "once", start: at(1), end: null, ...d });

  it("knows whether the next invoice still gets the discount", () => {
    expect(appliesToNextInvoice(discount({ duration: "forever" }), period)).toBe(true);
    expect(appliesToNextInvoice(discount({ duration: "repeating", end: at(60) }), period)).toBe(true);
    expect(appliesToNextInvoice(discount({ duration: "repeating", end: at(32) }), period)).toBe(false);
    // Once: used by the invoice of the period it was bought in; not yet if added mid-period or during a trial.
    expect(appliesToNextInvoice(discount({}), period)).toBe(false);
    expect(appliesToNextInvoice(discount({ start: at(10) }), period)).toBe(true);
    expect(appliesToNextInvoice(discount({}), { ...period, status: "trialing" })).toBe(true);
  });
});

describe("listAndNetMrr", () => {
  const at = (day: number) => new Date(Date.UTC(2026, 0, day));
  const sub = (over: Partial<RevenueSubscription>): RevenueSubscription => ({
    status: "active",
    currentPeriodStart: at(1),
    currentPeriodEnd: at(32),
    price: monthly,
    discount: null,
    ...over,
  });
  it("counts list at the price and net after each discount still in force; the difference returns", () => {
    const lines = listAndNetMrr([
      sub({}),
      sub({ discount: { percentBp: 10_000, amountOff: null, duration: "repeating", start: at(1), end: at(91) } }),
      sub({ discount: { percentBp: null, amountOff: 600, duration: "repeating", start: at(1), end: at(20) } }),
      sub({ discount: { percentBp: 2500, amountOff: null, duration: "forever", start: at(1), end: null } }),
      sub({ price: yearly, count: 3, discount: { percentBp: 5000, amountOff: null, duration: "once", start: at(10), end: null } }),
    ]);
    // list: 4 × 800 + 3 × 8000 / 12 = 5200; net: 800 + 0 (100 % off) + 800 (ended) + 600 + 3 × 4000 / 12 = 3200.
    expect(lines).toEqual([{ currency: "usd", list: 5200, net: 3200, returning: 2000 }]);
  });
  it("keeps currencies apart and sums yearly prices in twelfths", () => {
    const lines = listAndNetMrr([sub({ price: { ...yearly, amount: 9600 }, count: 12 }), sub({ price: { ...monthly, currency: "eur" } })]);
    expect(lines).toEqual([
      { currency: "eur", list: 800, net: 800, returning: 0 },
      { currency: "usd", list: 9600, net: 9600, returning: 0 },
    ]);
  });
});

describe("offerFormSchema", () => {
  const base = { name: "Spring", code: "SPRING-26", kind: "percent", percentOff: "50", duration: "repeating", durationMonths: "3", planIds: ["1", "2"], newCustomersOnly: "on" };
  const errors = (input: Record<string, unknown>) => {
    const result = offerFormSchema.safeParse(input);
    return result.success ? {} : Object.fromEntries(result.error.issues.map((i) => [String(i.path[0]), i.message]));
  };
  it("parses a good offer", () => {
    expect(offerFormSchema.parse(base)).toMatchObject({ percentOff: 50, duration: "repeating", durationMonths: 3, planIds: [1, 2], newCustomersOnly: true });
  });
  it.each([
    [{ percentOff: "0" }, "percentOff"],
    [{ percentOff: "101" }, "percentOff"],
    [{ percentOff: "12.5" }, "percentOff"],
    [{ code: "SPRING 26" }, "code"],
    [{ code: "X".repeat(41) }, "code"],
    [{ kind: "amount", amountOff: "abc" }, "amountOff"],
    [{ kind: "trial", trialDays: "0" }, "trialDays"],
    [{ durationMonths: "" }, "durationMonths"],
    [{ startsAt: "2026-05-01", endsAt: "2026-04-30" }, "endsAt"],
    [{ planIds: [] }, "planIds"],
    [{ maxRedemptions: "-1" }, "maxRedemptions"],
  ])("refuses %o on the field %s", (change, field) => {
    expect(Object.keys(errors({ ...base, ...change }))).toContain(field);
  });
  it("reports every problem in one round: a bad code does not hide a 150 % discount or a bad end date", () => {
    expect(errors({ ...base, code: "BAD CODE", percentOff: "150", startsAt: "2026-05-01", endsAt: "2026-04-30", maxRedemptions: "0" })).toEqual({
      code: "Letters, digits, - and _ only (no spaces)",
      percentOff: "Enter a whole percent from 1 to 100",
      endsAt: "The end must be after the start",
      maxRedemptions: "Enter a whole number, 1 or more (or leave empty)",
    });
  });
});

describe("the offer placement form", () => {
  it("needs the offer select (a form without it is not this form); an unticked box is off", () => {
    expect(offerPlacementSchema.safeParse({}).success).toBe(false);
    expect(offerPlacementSchema.safeParse({ featuredOfferId: "" }).data).toEqual({ checkoutAcceptsCodes: false, featuredOfferId: null });
    expect(offerPlacementSchema.safeParse({ featuredOfferId: " 12 ", checkoutAcceptsCodes: "on" }).data).toEqual({ checkoutAcceptsCodes: true, featuredOfferId: 12 });
    expect(offerPlacementSchema.safeParse({ featuredOfferId: "12; drop" }).success).toBe(false);
    expect(offerPlacementSchema.safeParse({ featuredOfferId: "1", checkoutAcceptsCodes: "yes" }).success).toBe(false);
  });
});
