import { describe, expect, it } from "vitest";
import { licenceMonthlyAmount, licenceMrr, wholeMonths } from "@/lib/organisations/licence-mrr";
import { seatLevel } from "@/lib/organisations/seat-mails";

const d = (day: string) => new Date(`${day}T00:00:00Z`);

describe("licence MRR", () => {
  it.each([
    // A year's term: price / 12, halves rounded up.
    ["a year", 1_200_000, "2026-03-01", "2027-03-01", 100_000],
    ["a year, not a multiple of 12", 1_000_001, "2026-01-01", "2027-01-01", 83_333],
    ["a year, a half cent up", 18, "2026-01-01", "2027-01-01", 2],
    ["six months", 600_000, "2026-01-15", "2026-07-15", 100_000],
    ["one month from the 31st (no 31 April): by days", 100_000, "2026-03-31", "2026-04-30", 101_458],
    ["three months (90 days)", 90_000, "2026-01-01", "2026-04-01", 30_000],
    ["three months (89 days)", 90_000, "2026-01-02", "2026-04-02", 30_000],
    // 90 days that are not whole months: 90,000 × 30.4375 / 90 = 30,437.5 → 30,438 (half up).
    ["90 days by the average month", 90_000, "2026-02-01", "2026-05-02", 30_438],
    ["a year of 365 days by the average month", 365_000, "2026-01-02", "2027-01-01", 30_521],
    ["free", 0, "2026-01-01", "2027-01-01", 0],
  ])("%s: %i over %s–%s is %i a month", (_name, price, start, end, monthly) => {
    expect(licenceMonthlyAmount(price, d(start), d(end))).toBe(monthly);
  });

  it("whole months only when the end falls on the start's day and time", () => {
    expect(wholeMonths(d("2026-01-31"), d("2026-02-28"))).toBeNull();
    expect(wholeMonths(d("2026-01-31"), d("2026-03-31"))).toBe(2);
    expect(wholeMonths(d("2024-02-29"), d("2025-02-28"))).toBeNull();
    expect(wholeMonths(d("2026-05-01"), d("2026-05-20"))).toBeNull();
  });

  it("sums running licences per currency; ended and future ones count 0", () => {
    const now = d("2026-06-15");
    const year = { termStart: d("2026-01-01"), termEnd: d("2027-01-01") };
    expect(
      licenceMrr(
        [
          { ...year, priceAmount: 1_200_000, currency: "usd" },
          { ...year, priceAmount: 600_000, currency: "usd" },
          { ...year, priceAmount: 120_000, currency: "eur" },
          { termStart: d("2025-01-01"), termEnd: d("2026-01-01"), priceAmount: 999_999, currency: "usd" },
          { termStart: d("2026-07-01"), termEnd: d("2027-07-01"), priceAmount: 999_999, currency: "usd" },
          // The end day is exclusive.
          { termStart: d("2025-06-15"), termEnd: now, priceAmount: 999_999, currency: "usd" },
        ],
        now,
      ),
    ).toEqual([
      { currency: "eur", amount: 10_000 },
      { currency: "usd", amount: 150_000 },
    ]);
  });
});

describe("seat mail levels", () => {
  it.each([
    [17, 20, 0],
    [18, 20, 90],
    [19, 20, 90],
    [20, 20, 100],
    [8, 10, 0],
    [9, 10, 90],
    [4, 5, 0],
    [5, 5, 100],
    [89, 100, 0],
    [90, 100, 90],
    [1, 1, 100],
  ])("%i of %i seats: %i", (used, seats, level) => {
    expect(seatLevel(used, seats)).toBe(level);
  });
});
