import { describe, expect, it } from "vitest";
import { describeRetention, retentionTerms, type RetentionPrice } from "@/lib/retention/retention-terms";

const monthly: RetentionPrice = { amount: 800, currency: "usd", interval: "month" };
const yearly: RetentionPrice = { amount: 8000, currency: "usd", interval: "year" };
const halfOff = (duration: "once" | "repeating" | "forever", durationMonths: number | null = null) =>
  ({ kind: "percent", percentOff: 50, amountOff: null, duration, durationMonths }) as const;
const at = (iso: string) => new Date(`${iso}T12:00:00Z`);

describe("what a retention discount covers, as Stripe runs it (N months from acceptance)", () => {
  it("accepted mid-period, 2 months cover the next 2 monthly renewals", () => {
    const terms = retentionTerms(halfOff("repeating", 2), monthly, at("2026-12-15"), at("2026-11-30"))!;
    expect(terms.renewals).toEqual([at("2026-12-15"), at("2027-01-15")]);
    expect(describeRetention(terms, monthly, 0)).toBe("$4.00 instead of $8.00 on your next 2 renewals (December 15, 2026 and January 15, 2027), then $8.00/month.");
  });

  it("accepted at the start of a period, 2 months end on the second renewal and cover one", () => {
    const terms = retentionTerms(halfOff("repeating", 2), monthly, at("2026-12-30"), at("2026-11-30"))!;
    expect(terms.renewals).toEqual([at("2026-12-30")]);
    expect(describeRetention(terms, monthly, 0)).toBe("$4.00 instead of $8.00 on your next renewal, on December 30, 2026, then $8.00/month.");
  });

  it("a yearly plan renewing after the discount ends gets no offer at all", () => {
    expect(retentionTerms(halfOff("repeating", 3), yearly, at("2027-05-01"), at("2026-11-30"))).toBeNull();
    expect(retentionTerms(halfOff("repeating", 3), yearly, at("2027-01-01"), at("2026-11-30"))?.renewals).toEqual([at("2027-01-01")]);
  });

  it("once is the next renewal; forever is every one; 100 % off is free; dates shift back from the emulator's clock", () => {
    expect(retentionTerms(halfOff("once"), monthly, at("2026-12-15"), at("2026-11-30"))?.renewals).toEqual([at("2026-12-15")]);
    const forever = retentionTerms(halfOff("forever"), monthly, at("2026-12-15"), at("2026-11-30"))!;
    expect(describeRetention(forever, monthly, 0)).toBe("$4.00/month instead of $8.00/month for as long as you subscribe.");
    const free = retentionTerms({ ...halfOff("once"), percentOff: 100 }, monthly, at("2026-12-15"), at("2026-11-30"))!;
    expect(describeRetention(free, monthly, 10 * 86_400)).toBe("Free instead of $8.00 on your next renewal, on December 5, 2026, then $8.00/month.");
  });

  it("an amount off never goes below zero, and a trial is not a retention discount", () => {
    const big = retentionTerms({ kind: "amount", percentOff: null, amountOff: 1_000, duration: "once", durationMonths: null }, monthly, at("2026-12-15"), at("2026-11-30"))!;
    expect(big.amount).toBe(0);
    expect(retentionTerms({ kind: "trial", percentOff: null, amountOff: null, duration: "once", durationMonths: null }, monthly, at("2026-12-15"), at("2026-11-30"))).toBeNull();
  });
});
