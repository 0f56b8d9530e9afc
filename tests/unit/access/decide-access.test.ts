import { describe, expect, it } from "vitest";
import { decideAccess, type AccessInput } from "@/lib/access/decide-access";
import { runningLicence, type Licence } from "@/lib/access/licence";
import type { MeterState } from "@/lib/access/meter";
import type { Reader } from "@/lib/access/reader";
import { meterPolicy as policy } from "../../support/reading-settings";

const now = new Date("2026-11-26T12:00:00Z");
const nowS = now.getTime() / 1000;
const DAY = 86_400;

const anonymous: Reader = { kind: "anonymous" };
const registered: Reader = { kind: "user", userId: "u1", entitlement: null };
const subscriber: Reader = { kind: "user", userId: "u2", entitlement: { source: "subscription", until: new Date(now.getTime() + DAY * 1000) } };
const lapsed: Reader = { kind: "user", userId: "u3", entitlement: { source: "subscription", until: new Date(now.getTime() - 1000) } };
const granted: Reader = { kind: "user", userId: "u4", entitlement: { source: "grant", until: null } };
// A redeemed gift subscription's grant: the same right as a grant, named for what backs it.
const gifted: Reader = { kind: "user", userId: "u7", entitlement: { source: "gift-subscription", until: new Date("2099-01-01T00:00:00Z") } };
const giftEnded: Reader = { kind: "user", userId: "u7", entitlement: { source: "gift-subscription", until: new Date("2000-01-01T00:00:00Z") } };
const crawler: Reader = { kind: "crawler", name: "google" };

const meter = (ids: number[], startDaysAgo = 1): MeterState => ({ windowStart: nowS - startDaysAgo * DAY, articleIds: ids });
const empty = null;
const used1 = meter([1]);
const full3 = meter([1, 2, 3]);
const full10 = meter([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
const expired3 = meter([1, 2, 3], 31);

// A licence's term: reading runs from its start until (not at) its end.
const term = (startDaysAgo: number, endDaysAhead: number, via: Licence["via"] = "seat"): Licence => ({
  organisationId: 7,
  organisationName: "Harbour Library",
  via,
  termStart: new Date(now.getTime() - startDaysAgo * DAY * 1000),
  termEnd: new Date(now.getTime() + endDaysAhead * DAY * 1000),
});
const running = term(30, 30);
const fromRange = term(30, 30, "address");
const ended = term(60, -1);
const notYet = term(-1, 30);
const endsNow = term(30, 0);

const article = (id: number, access: AccessInput["article"]["access"]) => ({ id, access });

type Row = [string, Reader, AccessInput["article"], MeterState | null, AccessInput["intent"], "full" | "preview", string];

// reader x access level x meter state x intent → level, reason
const table: Row[] = [
  ["free: anonymous, no meter", anonymous, article(9, "free"), empty, "read", "full", "free"],
  ["free: anonymous, meter spent", anonymous, article(9, "free"), full3, "read", "full", "free"],
  ["free: prefetch", anonymous, article(9, "free"), full3, "prefetch", "full", "free"],
  ["free: registered", registered, article(9, "free"), full10, "read", "full", "free"],
  ["metered: anonymous, no meter, read counts", anonymous, article(9, "metered"), empty, "read", "full", "counted"],
  ["metered: anonymous, 1 used, read counts", anonymous, article(9, "metered"), used1, "read", "full", "counted"],
  ["metered: anonymous, spent", anonymous, article(9, "metered"), full3, "read", "preview", "meter-exhausted"],
  ["metered: anonymous, spent, already counted", anonymous, article(2, "metered"), full3, "read", "full", "already-counted"],
  ["metered: anonymous, spent window expired", anonymous, article(9, "metered"), expired3, "read", "full", "counted"],
  ["metered: anonymous, prefetch never counts", anonymous, article(9, "metered"), empty, "prefetch", "preview", "prefetch"],
  ["metered: anonymous, prefetch of counted", anonymous, article(1, "metered"), used1, "prefetch", "preview", "prefetch"],
  ["metered: recheck does not count", anonymous, article(9, "metered"), used1, "recheck", "preview", "not-countable"],
  ["metered: recheck of counted", anonymous, article(1, "metered"), used1, "recheck", "full", "already-counted"],
  ["metered: registered, 3 used, counts", registered, article(9, "metered"), full3, "read", "full", "counted"],
  ["metered: registered, 10 used", registered, article(11, "metered"), full10, "read", "preview", "meter-exhausted"],
  ["metered: subscriber", subscriber, article(9, "metered"), full10, "read", "full", "entitled"],
  ["metered: subscriber prefetch", subscriber, article(9, "metered"), empty, "prefetch", "full", "entitled"],
  ["metered: lapsed subscriber is metered", lapsed, article(11, "metered"), full10, "read", "preview", "meter-exhausted"],
  ["metered: grant without end", granted, article(9, "metered"), full10, "recheck", "full", "entitled"],
  ["subscribers: anonymous", anonymous, article(9, "subscribers"), empty, "read", "preview", "subscribers-only"],
  ["subscribers: anonymous, counted id", anonymous, article(1, "subscribers"), used1, "read", "preview", "subscribers-only"],
  ["subscribers: registered", registered, article(9, "subscribers"), empty, "read", "preview", "subscribers-only"],
  ["subscribers: lapsed", lapsed, article(9, "subscribers"), empty, "read", "preview", "subscribers-only"],
  ["subscribers: subscriber", subscriber, article(9, "subscribers"), empty, "recheck", "full", "entitled"],
  ["subscribers: grant", granted, article(9, "subscribers"), empty, "read", "full", "entitled"],
  ["subscribers: gift subscription", gifted, article(9, "subscribers"), empty, "read", "full", "gift-subscription"],
  ["metered: gift subscription, meter spent, never counts", gifted, article(11, "metered"), full10, "read", "full", "gift-subscription"],
  ["subscribers: gift subscription ended", giftEnded, article(9, "subscribers"), empty, "read", "preview", "subscribers-only"],
  ["metered: gift subscription ended is metered", giftEnded, article(11, "metered"), full10, "read", "preview", "meter-exhausted"],
  ["unknown access blocks", anonymous, { id: 9, access: "vip" as never }, empty, "read", "preview", "unknown-access"],
  ["metered: verified crawler, spent meter, never counts", crawler, article(9, "metered"), full3, "read", "full", "verified-crawler"],
  ["subscribers: verified crawler, prefetch", crawler, article(9, "subscribers"), empty, "prefetch", "full", "verified-crawler"],
  ["free: verified crawler", crawler, article(9, "free"), empty, "read", "full", "free"],
];

type LicenceRow = [string, Reader, AccessInput["article"], MeterState | null, AccessInput["intent"], Licence | null, "full" | "preview", string];

// A licence as one more input: full while its term runs, the meter untouched; outside it, as without.
const licenceTable: LicenceRow[] = [
  ["seat: subscribers-only article", registered, article(9, "subscribers"), empty, "read", running, "full", "licensed"],
  ["seat: metered article, meter spent", registered, article(11, "metered"), full10, "read", running, "full", "licensed"],
  ["seat: recheck never counts, still full", registered, article(9, "subscribers"), empty, "recheck", running, "full", "licensed"],
  ["seat: prefetch", registered, article(9, "metered"), empty, "prefetch", running, "full", "licensed"],
  ["range: anonymous, subscribers-only", anonymous, article(9, "subscribers"), empty, "read", fromRange, "full", "licensed"],
  ["range: anonymous, meter spent", anonymous, article(9, "metered"), full3, "read", fromRange, "full", "licensed"],
  ["free article stays free", anonymous, article(9, "free"), empty, "read", fromRange, "full", "free"],
  ["a subscriber is entitled first", subscriber, article(9, "subscribers"), empty, "read", running, "full", "entitled"],
  ["ended term: subscribers-only", registered, article(9, "subscribers"), empty, "read", ended, "preview", "subscribers-only"],
  ["ended term: metered, counts as usual", anonymous, article(9, "metered"), empty, "read", ended, "full", "counted"],
  ["term not started", registered, article(9, "subscribers"), empty, "read", notYet, "preview", "subscribers-only"],
  ["term ends at this instant", anonymous, article(9, "subscribers"), empty, "read", endsNow, "preview", "subscribers-only"],
  ["unknown access: licence reads like an entitlement", registered, { id: 9, access: "vip" as never }, empty, "read", running, "full", "licensed"],
];

describe("decideAccess with a licence", () => {
  it.each(licenceTable)("%s", (_name, reader, art, m, intent, licence, level, reason) => {
    const decision = decideAccess({ reader, article: art, meter: m, now, policy, intent, licence });
    expect(decision.level).toBe(level);
    expect(decision.reason).toBe(reason);
    if (reason === "licensed") expect(decision.meterAfter).toEqual(m ?? expect.objectContaining({ articleIds: [] }));
  });

  it("the gatherer's choice: the first licence whose term runs, seats before the address", () => {
    expect(runningLicence([ended, running, fromRange], now)).toBe(running);
    expect(runningLicence([ended, null, fromRange], now)).toBe(fromRange);
    expect(runningLicence([ended, notYet, endsNow, null], now)).toBeNull();
  });
});

describe("decideAccess", () => {
  it.each(table)("%s", (_name, reader, art, m, intent, level, reason) => {
    const decision = decideAccess({ reader, article: art, meter: m, now, policy, intent });
    expect(decision.level).toBe(level);
    expect(decision.reason).toBe(reason);
  });

  it("counts an article once and reports what is left", () => {
    const first = decideAccess({ reader: anonymous, article: article(5, "metered"), meter: null, now, policy, intent: "read" });
    expect(first.meterAfter.articleIds).toEqual([5]);
    expect(first.remaining).toBe(2);
    const again = decideAccess({ reader: anonymous, article: article(5, "metered"), meter: first.meterAfter, now, policy, intent: "read" });
    expect(again.reason).toBe("already-counted");
    expect(again.meterAfter).toEqual(first.meterAfter);
    expect(again.remaining).toBe(2);
  });

  it("starts a new window when the old one ended, or claims to start in the future", () => {
    const rolled = decideAccess({ reader: anonymous, article: article(9, "metered"), meter: expired3, now, policy, intent: "read" });
    expect(rolled.meterAfter).toEqual({ windowStart: nowS, articleIds: [9] });
    const future = decideAccess({ reader: anonymous, article: article(9, "metered"), meter: meter([1, 2, 3], -2), now, policy, intent: "read" });
    expect(future.meterAfter).toEqual({ windowStart: nowS, articleIds: [9] });
  });

  it("never changes the meter unless it counted", () => {
    for (const [, reader, art, m, intent] of table) {
      const d = decideAccess({ reader, article: art, meter: m, now, policy, intent });
      if (d.reason !== "counted") expect(d.meterAfter.articleIds).toEqual(m && m !== expired3 ? m.articleIds : []);
    }
  });

  it("a limit of zero meters nothing", () => {
    const d = decideAccess({ reader: anonymous, article: article(9, "metered"), meter: null, now, policy: { ...policy, anonymousLimit: 0 }, intent: "read" });
    expect(d.level).toBe("preview");
    expect(d.remaining).toBe(0);
  });
});

// A place in a payer's family subscription (judged from the payer's subscription before the
// decision): full while it reads, the meter untouched; after it, as without.
const familyMember = (until: Date | null): Reader => ({ kind: "user", userId: "u9", entitlement: null, family: { stripeSubscriptionId: "sub_family", until } });
const familyReads = familyMember(new Date(now.getTime() + DAY * 1000));
const familyEnded: Reader = { kind: "user", userId: "u9", entitlement: null, family: null, familyEnded: true };
const familyTable: LicenceRow[] = [
  ["family: subscribers-only article", familyReads, article(9, "subscribers"), empty, "read", null, "full", "family"],
  ["family: metered, meter spent, never counts", familyReads, article(11, "metered"), full10, "read", null, "full", "family"],
  ["family: prefetch", familyReads, article(9, "metered"), empty, "prefetch", null, "full", "family"],
  ["family: renewing (no end)", familyMember(null), article(9, "subscribers"), empty, "recheck", null, "full", "family"],
  ["family: ends at this instant", familyMember(now), article(9, "subscribers"), empty, "read", null, "preview", "subscribers-only"],
  ["family ended: subscribers-only", familyEnded, article(9, "subscribers"), empty, "read", null, "preview", "subscribers-only"],
  ["family ended: metered counts as usual", familyEnded, article(9, "metered"), empty, "read", null, "full", "counted"],
  ["family before a seat's licence", familyReads, article(9, "subscribers"), empty, "read", running, "full", "family"],
  ["a member's own subscription first", { ...familyReads, entitlement: { source: "subscription", until: null } } as Reader, article(9, "subscribers"), empty, "read", null, "full", "entitled"],
];

describe("decideAccess with a family place", () => {
  it.each(familyTable)("%s", (_name, reader, art, m, intent, licence, level, reason) => {
    const decision = decideAccess({ reader, article: art, meter: m, now, policy, intent, licence });
    expect(decision.level).toBe(level);
    expect(decision.reason).toBe(reason);
    if (reason === "family") expect(decision.meterAfter).toEqual(m ?? expect.objectContaining({ articleIds: [] }));
  });
});
