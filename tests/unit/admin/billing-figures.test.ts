import { describe, expect, it } from "vitest";
import { csvField, csvLine, csvRow } from "@/lib/admin/shared/csv";
import { computeMrr, dailySeries, dashboardQuerySchema, funnelSteps, periodStart, statusCounts, type MrrSubscription } from "@/lib/admin/dashboard/queries";
import { moneyInputValue, parseMoneyInput } from "@/lib/billing/money";
import { subscriptionFacts } from "../../support/subscription-facts";

describe("csv escaping", () => {
  it.each([
    ["plain", "plain"],
    ["reader@ledger.test", "reader@ledger.test"],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ["line\nbreak", '"line\nbreak"'],
    ["", ""],
  ])("%j → %j", (input, output) => expect(csvField(input)).toBe(output));

  it.each([
    ["=1+1", `"'=1+1"`],
    ["+44 20 7946 0000", `"'+44 20 7946 0000"`],
    ["-2", `"'-2"`],
    ["@SUM(A1:A2)", `"'@SUM(A1:A2)"`],
    ["\t=cmd", `"'\t=cmd"`],
    ["\r=cmd", `"'\r=cmd"`],
    ['=HYPERLINK("http://evil.test","click")', `"'=HYPERLINK(""http://evil.test"",""click"")"`],
  ])("defuses the formula %j as %j", (input, output) => expect(csvField(input)).toBe(output));

  it("leaves formula characters alone when they are not first", () => {
    expect(csvField("a=b")).toBe("a=b");
    expect(csvField("x@y.test")).toBe("x@y.test");
  });

  it("writes nulls as empty cells, dates as ISO, numbers and booleans as text", () => {
    expect(csvRow([null, undefined, new Date("2026-01-02T03:04:05Z"), 5, true])).toBe(",,2026-01-02T03:04:05.000Z,5,true");
    expect(csvField(-5)).toBe(`"'-5"`);
  });

  it("ends every record with CRLF, so a streamed document is its records one after another", () => {
    expect(csvLine(["email", "plan"]) + csvLine(["=evil@x.test", "Monthly"]) + csvLine(["a@b.test", null])).toBe(`email,plan\r\n"'=evil@x.test",Monthly\r\na@b.test,\r\n`);
  });
});

describe("money input", () => {
  it.each([
    ["9.50", "usd", 950],
    ["9.5", "usd", 950],
    ["9", "usd", 900],
    ["0.01", "usd", 1],
    ["0", "usd", 0],
    ["  12.34 ", "eur", 1234],
    ["007.10", "gbp", 710],
    ["999999.99", "usd", 99_999_999],
    ["900", "jpy", 900],
    // The float trap: 0.29 * 100 is 28.999999999999996 in binary floating point.
    ["0.29", "usd", 29],
    ["1.15", "usd", 115],
    ["4.35", "usd", 435],
  ])("%j %s → %i minor units", (input, currency, amount) => {
    expect(parseMoneyInput(input, currency)).toEqual({ ok: true, amount });
  });

  it.each([[""], ["abc"], ["9.999"], ["-1"], ["+1"], ["1e3"], ["9,50"], ["1,000"], ["$9"], [".5"], ["9."], ["1000000"], ["Infinity"]])(
    "refuses %j",
    (input) => {
      expect(parseMoneyInput(input, "usd").ok).toBe(false);
    },
  );

  it("refuses decimals in a currency without minor units", () => {
    expect(parseMoneyInput("9.5", "jpy")).toMatchObject({ ok: false, message: expect.stringMatching(/no decimals/) });
  });

  it("shows an amount as the field's text, exactly", () => {
    expect(moneyInputValue(950, "usd")).toBe("9.50");
    expect(moneyInputValue(5, "usd")).toBe("0.05");
    expect(moneyInputValue(0, "usd")).toBe("0.00");
    expect(moneyInputValue(900, "jpy")).toBe("900");
    for (const amount of [1, 29, 115, 800, 8000, 99_999_999]) {
      expect(parseMoneyInput(moneyInputValue(amount, "usd"), "usd")).toEqual({ ok: true, amount });
    }
  });
});

describe("dashboard aggregation", () => {
  const now = new Date("2026-05-15T12:00:00Z");
  const base = subscriptionFacts({ start: new Date("2026-05-01T00:00:00Z"), end: new Date("2026-06-01T00:00:00Z") });
  const monthly = { amount: 800, currency: "usd", interval: "month" as const };
  const yearly = { amount: 8000, currency: "usd", interval: "year" as const };
  const sub = (status: MrrSubscription["status"], price: MrrSubscription["price"], extra: Partial<MrrSubscription> = {}): MrrSubscription => ({
    ...base,
    status,
    price,
    ...extra,
  });

  it("counts a monthly price as is and a yearly price / 12", () => {
    expect(computeMrr([sub("active", monthly)], now, 3)).toEqual([{ currency: "usd", amount: 800 }]);
    expect(computeMrr([sub("active", yearly)], now, 3)).toEqual([{ currency: "usd", amount: 667 }]); // 8000 / 12 = 666.67
    expect(computeMrr([sub("active", monthly), sub("active", yearly)], now, 3)).toEqual([{ currency: "usd", amount: 1467 }]);
  });

  it("sums yearly prices before dividing, so rounding happens once", () => {
    const twelve = Array.from({ length: 12 }, () => sub("active", { amount: 1000, currency: "usd", interval: "year" }));
    expect(computeMrr(twelve, now, 3)).toEqual([{ currency: "usd", amount: 1000 }]);
  });

  it("counts trials, incomplete, cancelled and unpaid subscriptions as 0", () => {
    const zero = [
      sub("trialing", monthly, { trialEnd: new Date("2026-05-20T00:00:00Z") }),
      sub("incomplete", monthly),
      sub("incomplete_expired", monthly),
      sub("canceled", monthly, { endedAt: new Date("2026-06-01T00:00:00Z") }), // still entitled, but no longer paying
      sub("unpaid", monthly),
      sub("paused", monthly),
    ];
    expect(computeMrr(zero, now, 3)).toEqual([]);
    expect(computeMrr([...zero, sub("active", yearly)], now, 3)).toEqual([{ currency: "usd", amount: 667 }]);
  });

  it("counts past due within the grace period, not after it; and nothing without a known price", () => {
    const pastDue = sub("past_due", monthly, { currentPeriodStart: new Date("2026-05-14T00:00:00Z") });
    expect(computeMrr([pastDue], now, 3)).toEqual([{ currency: "usd", amount: 800 }]);
    expect(computeMrr([pastDue], new Date("2026-05-18T00:00:00Z"), 3)).toEqual([]);
    expect(computeMrr([sub("active", null)], now, 3)).toEqual([]);
  });

  it("keeps currencies apart", () => {
    expect(computeMrr([sub("active", monthly), sub("active", { amount: 700, currency: "eur", interval: "month" })], now, 3)).toEqual([
      { currency: "eur", amount: 700 },
      { currency: "usd", amount: 800 },
    ]);
  });

  it("counts subscribers by status", () => {
    expect(statusCounts([{ status: "active", n: 4 }, { status: "trialing", n: 2 }, { status: "past_due", n: 1 }, { status: "canceled", n: 9 }])).toEqual({
      active: 4,
      trialing: 2,
      pastDue: 1,
    });
    expect(statusCounts([])).toEqual({ active: 0, trialing: 0, pastDue: 0 });
  });

  it("fills every day of the period, oldest first, today last", () => {
    const start = periodStart(now, 7);
    expect(start.toISOString()).toBe("2026-05-09T00:00:00.000Z");
    const series = dailySeries(start, 7, [{ day: "2026-05-09", n: 2 }, { day: "2026-05-15", n: 1 }], [{ day: "2026-05-12", n: 3 }]);
    expect(series).toHaveLength(7);
    expect(series[0]).toEqual({ day: "2026-05-09", new: 2, churned: 0 });
    expect(series[3]).toEqual({ day: "2026-05-12", new: 0, churned: 3 });
    expect(series[6]).toEqual({ day: "2026-05-15", new: 1, churned: 0 });
  });

  it("computes the funnel's step conversions", () => {
    const steps = funnelSteps([
      { type: "article_view", n: 1000 },
      { type: "paywall_shown", n: 400 },
      { type: "checkout_started", n: 30 },
      { type: "subscribed", n: 12 },
    ]);
    expect(steps.map((s) => [s.type, s.count, s.conversion])).toEqual([
      ["article_view", 1000, null],
      ["paywall_shown", 400, 40],
      ["checkout_started", 30, 7.5],
      ["subscribed", 12, 40],
    ]);
    expect(funnelSteps([]).map((s) => s.conversion)).toEqual([null, null, null, null]);
  });

  it("parses the period, falling back to 30 days", () => {
    expect(dashboardQuerySchema.parse({ days: "7" }).days).toBe(7);
    expect(dashboardQuerySchema.parse({ days: "90" }).days).toBe(90);
    expect(dashboardQuerySchema.parse({ days: "8" }).days).toBe(30);
    expect(dashboardQuerySchema.parse({ days: ["7", "90"] }).days).toBe(30);
    expect(dashboardQuerySchema.parse({}).days).toBe(30);
  });
});
