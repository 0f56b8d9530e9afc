import { describe, expect, it } from "vitest";
import { decideAccess, type AccessInput, type VerifiedGift } from "@/lib/access/decide-access";
import type { MeterState } from "@/lib/access/meter";
import type { Reader } from "@/lib/access/reader";
import { meterPolicy as policy } from "../../support/reading-settings";

const now = new Date("2026-11-26T12:00:00Z");
const nowS = now.getTime() / 1000;
const DAY_MS = 86_400_000;

const anonymous: Reader = { kind: "anonymous" };
const registered: Reader = { kind: "user", userId: "u1", entitlement: null };
const subscriber: Reader = { kind: "user", userId: "u2", entitlement: { source: "subscription", until: null } };

const used1: MeterState = { windowStart: nowS - 86_400, articleIds: [1] };
const spent: MeterState = { windowStart: nowS - 86_400, articleIds: [1, 2, 3] };

const gift = (over: Partial<VerifiedGift> = {}): VerifiedGift => ({
  articleId: 9,
  expiresAt: new Date(now.getTime() + 14 * DAY_MS),
  revoked: false,
  admitted: true,
  ...over,
});
const article = (id: number, access: AccessInput["article"]["access"]) => ({ id, access });

type Row = [string, Reader, AccessInput["article"], MeterState | null, VerifiedGift | null, AccessInput["intent"], "full" | "preview", string];

// The gift rows of the decision table: a verified gift opens only its own live article, for a browser it let in.
const table: Row[] = [
  ["valid gift, metered, anonymous with a spent meter", anonymous, article(9, "metered"), spent, gift(), "read", "full", "gift"],
  ["valid gift, metered, meter left: the meter is not spent", anonymous, article(9, "metered"), used1, gift(), "read", "full", "gift"],
  ["valid gift, subscribers-only article", anonymous, article(9, "subscribers"), null, gift(), "read", "full", "gift"],
  ["valid gift, registered reader", registered, article(9, "subscribers"), null, gift(), "read", "full", "gift"],
  ["valid gift, page recheck", anonymous, article(9, "subscribers"), null, gift(), "recheck", "full", "gift"],
  ["publisher link (no expiry)", anonymous, article(9, "subscribers"), null, gift({ expiresAt: null }), "read", "full", "gift"],
  ["expired gift: subscribers-only", anonymous, article(9, "subscribers"), null, gift({ expiresAt: new Date(now.getTime() - 1) }), "read", "preview", "subscribers-only"],
  ["expiring exactly now", anonymous, article(9, "subscribers"), null, gift({ expiresAt: now }), "read", "preview", "subscribers-only"],
  ["expired gift, metered: the meter applies", anonymous, article(9, "metered"), used1, gift({ expiresAt: new Date(now.getTime() - 1) }), "read", "full", "counted"],
  ["revoked gift", anonymous, article(9, "subscribers"), null, gift({ revoked: true }), "read", "preview", "subscribers-only"],
  ["revoked gift, spent meter", anonymous, article(9, "metered"), spent, gift({ revoked: true }), "read", "preview", "meter-exhausted"],
  ["another article's gift", anonymous, article(8, "subscribers"), null, gift(), "read", "preview", "subscribers-only"],
  ["another article's gift, metered", anonymous, article(8, "metered"), spent, gift(), "read", "preview", "meter-exhausted"],
  ["over the browser limit", anonymous, article(9, "subscribers"), null, gift({ admitted: false }), "read", "preview", "subscribers-only"],
  ["over the browser limit, meter left: counted as usual", anonymous, article(9, "metered"), null, gift({ admitted: false }), "read", "full", "counted"],
  ["free article: free, not gift", anonymous, article(9, "free"), spent, gift(), "read", "full", "free"],
  ["subscriber: entitled, not gift", subscriber, article(9, "subscribers"), null, gift(), "read", "full", "entitled"],
  ["unknown access blocks even with a gift", anonymous, { id: 9, access: "vip" as never }, null, gift(), "read", "preview", "unknown-access"],
];

describe("decideAccess with a gift", () => {
  it.each(table)("%s", (_name, reader, art, meter, g, intent, level, reason) => {
    const decision = decideAccess({ reader, article: art, meter, now, policy, intent, gift: g });
    expect(decision.level).toBe(level);
    expect(decision.reason).toBe(reason);
  });

  it("a gift never touches the meter", () => {
    for (const meter of [null, used1, spent]) {
      const d = decideAccess({ reader: anonymous, article: article(9, "metered"), meter, now, policy, intent: "read", gift: gift() });
      expect(d.reason).toBe("gift");
      expect(d.meterAfter.articleIds).toEqual(meter?.articleIds ?? []);
      expect(d.remaining).toBe(3 - (meter?.articleIds.length ?? 0));
    }
  });
});
