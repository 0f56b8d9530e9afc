import { describe, expect, it } from "vitest";
import { giftMonth } from "@/lib/gifts/gift-month";
import { giftTokenSchema, hashGiftToken, newGiftToken } from "@/lib/gifts/gift-token";

describe("giftMonth: the allowance's calendar month in the site's time zone", () => {
  it.each([
    ["UTC mid-month", "2026-11-15T00:00:00Z", "UTC", "2026-11-01T00:00:00.000Z", "2026-12-01T00:00:00.000Z"],
    ["Berlin: 23:30 UTC on the 30th is already December", "2026-11-30T23:30:00Z", "Europe/Berlin", "2026-11-30T23:00:00.000Z", "2026-12-31T23:00:00.000Z"],
    ["Berlin: one second before local midnight is still November", "2026-11-30T22:59:59Z", "Europe/Berlin", "2026-10-31T23:00:00.000Z", "2026-11-30T23:00:00.000Z"],
    ["New York across the end of DST", "2026-12-01T04:59:59Z", "America/New_York", "2026-11-01T04:00:00.000Z", "2026-12-01T05:00:00.000Z"],
    ["Sydney in summer time", "2026-03-15T00:00:00Z", "Australia/Sydney", "2026-02-28T13:00:00.000Z", "2026-03-31T13:00:00.000Z"],
    ["December rolls into January", "2026-12-31T12:00:00Z", "UTC", "2026-12-01T00:00:00.000Z", "2027-01-01T00:00:00.000Z"],
  ])("%s", (_name, at, zone, start, next) => {
    const month = giftMonth(new Date(at), zone);
    expect(month.start.toISOString()).toBe(start);
    expect(month.next.toISOString()).toBe(next);
  });
});

describe("gift tokens", () => {
  it("are 128 random bits in 22 base64url characters, and only a hash of them is kept", () => {
    const token = newGiftToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Buffer.from(token, "base64url")).toHaveLength(16);
    expect(giftTokenSchema.safeParse(token).success).toBe(true);
    expect(hashGiftToken(token)).not.toContain(token);
    expect(hashGiftToken(token)).toBe(hashGiftToken(token));
    expect(newGiftToken()).not.toBe(token);
  });

  it.each(["", "short", "A".repeat(21), "A".repeat(23), "AAAAAAAAAAAAAAAAAAAAA+", "AAAAAAAAAAAAAAAAAAAAA/", "AAAAAAAAAAAAAAAAAAAA%20", "AAAAAAAAAAAAAAAAAAAAAB", "ÄAAAAAAAAAAAAAAAAAAAAA"])(
    "rejects %j",
    (bad) => expect(giftTokenSchema.safeParse(bad).success).toBe(false),
  );
});
