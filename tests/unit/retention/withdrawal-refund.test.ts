import { describe, expect, it } from "vitest";
import { WITHDRAWAL_DAYS, withdrawalPeriodEnd, withdrawalRefund, withinWithdrawalPeriod } from "@/lib/retention/withdrawal-refund";

const DAY = 86_400_000;
const start = new Date("2026-03-01T10:00:00Z");
const after = (ms: number) => new Date(start.getTime() + ms);

describe("withdrawalRefund", () => {
  it("full: refunds every cent paid, whenever within the period", () => {
    expect(withdrawalRefund({ rule: "full_refund", amountPaid: 9900, periodStart: start, periodEnd: after(365 * DAY), withdrawnAt: after(13 * DAY) })).toEqual({ refund: 9900, daysRead: null, daysPaid: null });
  });

  it("pro rata: each day begun counts as read, the day of purchase included", () => {
    const year = { rule: "pro_rata_refund" as const, amountPaid: 36500, periodStart: start, periodEnd: after(365 * DAY) };
    expect(withdrawalRefund({ ...year, withdrawnAt: after(1000) })).toEqual({ refund: 36400, daysRead: 1, daysPaid: 365 });
    expect(withdrawalRefund({ ...year, withdrawnAt: after(DAY) })).toEqual({ refund: 36400, daysRead: 1, daysPaid: 365 });
    expect(withdrawalRefund({ ...year, withdrawnAt: after(DAY + 1) })).toEqual({ refund: 36300, daysRead: 2, daysPaid: 365 });
    expect(withdrawalRefund({ ...year, withdrawnAt: after(10 * DAY - 1) })).toEqual({ refund: 35500, daysRead: 10, daysPaid: 365 });
  });

  it("pro rata: the publisher's share is rounded down, so a fraction of a cent goes to the reader", () => {
    // 999 × 3 / 31 = 96.677…: the publisher keeps 96, the reader gets 903 back.
    const month = { rule: "pro_rata_refund" as const, amountPaid: 999, periodStart: start, periodEnd: after(31 * DAY) };
    expect(withdrawalRefund({ ...month, withdrawnAt: after(2 * DAY + 5) })).toEqual({ refund: 903, daysRead: 3, daysPaid: 31 });
    // A 28-day February: 1000 × 14 / 28 = 500 exactly.
    expect(withdrawalRefund({ rule: "pro_rata_refund", amountPaid: 1000, periodStart: start, periodEnd: after(28 * DAY), withdrawnAt: after(14 * DAY) })).toEqual({ refund: 500, daysRead: 14, daysPaid: 28 });
  });

  it("pro rata: never refunds more than was paid nor less than nothing, and is exact for large amounts", () => {
    const base = { rule: "pro_rata_refund" as const, periodStart: start, periodEnd: after(30 * DAY) };
    expect(withdrawalRefund({ ...base, amountPaid: 0, withdrawnAt: after(DAY) }).refund).toBe(0);
    expect(withdrawalRefund({ ...base, amountPaid: 1, withdrawnAt: after(DAY) }).refund).toBe(1);
    // A clock that runs behind the period's start still counts one day read.
    expect(withdrawalRefund({ ...base, amountPaid: 3000, withdrawnAt: after(-DAY) })).toEqual({ refund: 2900, daysRead: 1, daysPaid: 30 });
    // Past the period's end every day was read.
    expect(withdrawalRefund({ ...base, amountPaid: 3000, withdrawnAt: after(40 * DAY) })).toEqual({ refund: 0, daysRead: 30, daysPaid: 30 });
    // 2^53 - 1 minor units times 29 overflows a double; BigInt keeps it exact.
    const big = Number.MAX_SAFE_INTEGER;
    const expectedKept = (BigInt(big) * 29n) / 30n;
    expect(withdrawalRefund({ ...base, amountPaid: big, withdrawnAt: after(29 * DAY) }).refund).toBe(Number(BigInt(big) - expectedKept));
  });

  it("refuses amounts that are not whole minor units", () => {
    const base = { rule: "pro_rata_refund" as const, periodStart: start, periodEnd: after(30 * DAY), withdrawnAt: after(DAY) };
    expect(() => withdrawalRefund({ ...base, amountPaid: 9.5 })).toThrow(RangeError);
    expect(() => withdrawalRefund({ ...base, amountPaid: -1 })).toThrow(RangeError);
  });
});

describe("the withdrawal period", () => {
  it("lasts 14 days to the millisecond from the purchase", () => {
    expect(WITHDRAWAL_DAYS).toBe(14);
    expect(withinWithdrawalPeriod(start, after(14 * DAY - 1))).toBe(true);
    expect(withinWithdrawalPeriod(start, after(14 * DAY))).toBe(false);
    expect(withdrawalPeriodEnd(start)).toEqual(after(14 * DAY));
  });
});
