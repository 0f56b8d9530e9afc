import { describe, expect, it } from "vitest";
import { giftPurchaseSchema, latestDelivery } from "@/lib/gift-subscriptions/fields";
import { addMonths, dateIn, giftPrice } from "@/lib/gift-subscriptions/pricing";

describe("gift subscription prices and dates", () => {
  it.each([
    [{ amount: 800, interval: "month" as const }, 1, 800],
    [{ amount: 800, interval: "month" as const }, 12, 9_600],
    [{ amount: 8_000, interval: "year" as const }, 12, 8_000],
    [{ amount: 8_000, interval: "year" as const }, 3, 2_001],
    [{ amount: 8_000, interval: "year" as const }, 1, 667],
  ])("%o for %i months costs %i", (plan, months, amount) => {
    expect(giftPrice(plan, months)).toBe(amount);
  });

  it.each([
    ["2026-01-31T10:00:00Z", 1, "2026-02-28T10:00:00.000Z"],
    ["2028-01-31T10:00:00Z", 1, "2028-02-29T10:00:00.000Z"],
    ["2026-03-15T00:00:00Z", 12, "2027-03-15T00:00:00.000Z"],
    ["2026-11-30T23:59:59Z", 3, "2027-02-28T23:59:59.000Z"],
  ])("%s plus %i months is %s", (start, months, end) => {
    expect(addMonths(new Date(start), months).toISOString()).toBe(end);
  });

  it("today is the site's date, and a delivery date runs from it to a year on", () => {
    expect(dateIn(new Date("2026-12-08T02:00:00Z"), "America/Los_Angeles")).toBe("2026-12-07");
    expect(dateIn(new Date("2026-12-08T02:00:00Z"), "UTC")).toBe("2026-12-08");
    expect(latestDelivery("2028-02-29")).toBe("2029-03-01");
    const schema = giftPurchaseSchema("2026-12-07");
    const base = { planId: "1", months: "3", recipientEmail: " Friend@Example.ORG ", message: "", deliverOn: "2026-12-07" };
    expect(schema.parse(base)).toMatchObject({ planId: 1, months: 3, recipientEmail: "friend@example.org", deliverOn: "2026-12-07" });
    expect(schema.safeParse({ ...base, deliverOn: "2026-12-06" }).success).toBe(false);
    expect(schema.safeParse({ ...base, deliverOn: "2027-12-07" }).success).toBe(true);
    expect(schema.safeParse({ ...base, deliverOn: "2027-12-08" }).success).toBe(false);
  });
});
