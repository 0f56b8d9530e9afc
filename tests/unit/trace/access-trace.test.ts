import { describe, expect, it } from "vitest";
import { decideAccess, type AccessInput, type AccessReason } from "@/lib/access/decide-access";
import { currentWindow, type MeterState } from "@/lib/access/meter";
import type { Licence } from "@/lib/access/licence";
import type { Reader } from "@/lib/access/reader";
import { DECISION_RULES, ruleOutcomes } from "@/lib/trace/decision-rules";
import { supportExplanation, type ExplainedDecision } from "@/lib/trace/explanation";
import { latestLapse, type Lapse } from "@/lib/trace/lapse";
import { readerExplanation } from "@/lib/trace/reader-wording";
import { meterPolicy as policy } from "../../support/reading-settings";

const now = new Date("2026-12-01T12:00:00Z");
const nowS = now.getTime() / 1000;
const DAY = 86_400;
const windowStart = Date.parse("2026-11-02T00:00:00Z") / 1000;

const readers: Record<string, Reader> = {
  anonymous: { kind: "anonymous" },
  registered: { kind: "user", userId: "u1", entitlement: null },
  subscriber: { kind: "user", userId: "u2", entitlement: { source: "subscription", until: null } },
  granted: { kind: "user", userId: "u3", entitlement: { source: "grant", until: new Date("2027-01-15T00:00:00Z") } },
  gifted: { kind: "user", userId: "u6", entitlement: { source: "gift-subscription", until: new Date("2027-03-01T00:00:00Z") } },
  crawler: { kind: "crawler", name: "google" },
  "reading room": { kind: "anonymous" },
  member: { kind: "user", userId: "u5", entitlement: null },
  "family member": { kind: "user", userId: "u7", entitlement: null, family: { stripeSubscriptionId: "sub_family", until: new Date("2027-01-01T00:00:00Z") } },
};
const licence = (via: Licence["via"]): Licence => ({
  organisationId: 7,
  organisationName: "Harbour Library",
  via,
  termStart: new Date("2026-01-01T00:00:00Z"),
  termEnd: new Date("2027-01-01T00:00:00Z"),
});
// The licence each reader brings: the reading room's address range, the member's seat.
const licences: Record<string, Licence | undefined> = { "reading room": licence("address"), member: licence("seat") };
const meters: Record<string, MeterState | null> = {
  none: null,
  "one used": { windowStart, articleIds: [1] },
  "3 used": { windowStart, articleIds: [1, 2, 3] },
  "10 used": { windowStart, articleIds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] },
  ended: { windowStart: nowS - 40 * DAY, articleIds: [1, 2, 3] },
};
const accesses = ["free", "metered", "subscribers", "vip"] as const;
const intents: AccessInput["intent"][] = ["read", "recheck", "prefetch"];

function explained(
  reader: Reader,
  access: string,
  articleId: number,
  meter: MeterState | null,
  intent: AccessInput["intent"],
  lapse: Lapse | null = null,
  at = now,
  licence: Licence | null = null,
): ExplainedDecision {
  const decision = decideAccess({ reader, article: { id: articleId, access: access as "free" }, meter, now: at, policy, intent, licence });
  return {
    reason: decision.reason,
    level: decision.level,
    intent,
    readerKind: reader.kind,
    article: { id: articleId, access },
    policy,
    window: currentWindow(meter, at, policy.windowDays),
    entitlement: reader.kind === "user" ? reader.entitlement : null,
    licence,
    family: reader.kind === "user" ? (reader.family ?? null) : null,
    lapse,
    variants: [],
    now: at,
  };
}

// Every reader × access level × meter × intent, each article both counted (id 1) and not (id 42).
const rows = Object.entries(readers).flatMap(([r, reader]) =>
  accesses.flatMap((access) =>
    Object.entries(meters).flatMap(([m, meter]) => intents.flatMap((intent) =>
        [1, 42].map((id) => ({ name: `${r}, ${access} #${id}, ${m}, ${intent}`, d: explained(reader, access, id, meter, intent, null, now, licences[r] ?? null) })),
      ),
    ),
  ),
);

describe("the access trace's explanation, for every row of the decision table", () => {
  it("covers every reason decideAccess gives", () => {
    expect(new Set(rows.map((r) => r.d.reason))).toEqual(new Set(DECISION_RULES.map((r) => r.reason)));
  });

  it.each(rows.map((r) => [r.name, r.d] as const))("%s: the fired rule is the reason, at the level it decided", (_name, d) => {
    const outcomes = ruleOutcomes(d.reason);
    expect(outcomes.filter((o) => o.outcome === "fired").map((o) => o.reason)).toEqual([d.reason]);
    expect(DECISION_RULES.find((r) => r.reason === d.reason)!.level).toBe(d.level);
    expect(supportExplanation(d)).toMatch(d.level === "full" ? /full|everything/ : /preview/);
    expect(readerExplanation(d, "/articles/a", 7).summary.length).toBeGreaterThan(10);
  });
});

describe("support wording", () => {
  const cases: Array<[AccessReason, ExplainedDecision, RegExp]> = [
    ["free", explained(readers.anonymous!, "free", 42, null, "read"), /free: everyone reads it in full/],
    ["verified-crawler", explained(readers.crawler!, "subscribers", 42, null, "prefetch"), /DNS proved to be Google's/],
    ["entitled", explained(readers.granted!, "subscribers", 42, null, "read"), /a grant until 15 Jan 2027/],
    ["gift-subscription", explained(readers.gifted!, "subscribers", 42, null, "read"), /redeemed gift subscription's grant until 1 Mar 2027.*does not renew/],
    ["family", explained(readers["family member"]!, "subscribers", 42, null, "read"), /Reads on a family plan: a place in the payer's subscription sub_family, which reads for its payer until 1 Jan 2027/],
    ["licensed", explained(readers.member!, "subscribers", 42, null, "read", null, now, licence("seat")), /Licensed by Harbour Library \(organisation #7\), holding one of its seats, term until 1 Jan 2027/],
    ["subscribers-only", explained(readers.registered!, "subscribers", 42, null, "read", { kind: "subscription-ended", on: new Date("2026-11-20T00:00:00Z") }), /subscription ended 20 Nov 2026/],
    ["unknown-access", explained(readers.anonymous!, "vip", 42, null, "read"), /"vip" is unknown/],
    ["prefetch", explained(readers.anonymous!, "metered", 42, null, "prefetch"), /prefetch or router request/],
    ["already-counted", explained(readers.anonymous!, "metered", 1, meters["3 used"]!, "read"), /#1 was already counted \(3 of 3 metered articles used in the window 2 Nov 2026/],
    ["meter-exhausted", explained(readers.anonymous!, "metered", 42, meters["3 used"]!, "read"), /3 of 3 metered articles used .* 2 Dec 2026, 00:00 UTC: preview/],
    ["not-countable", explained(readers.anonymous!, "metered", 42, null, "recheck"), /Intent "recheck" never counts/],
    ["counted", explained(readers.registered!, "metered", 42, meters["3 used"]!, "read"), /counts as article 4 of 10: full/],
  ];
  it.each(cases)("%s", (reason, d, wording) => {
    expect(d.reason).toBe(reason);
    expect(supportExplanation(d)).toMatch(wording);
  });
});

describe("reader wording: plain words, about this reader only", () => {
  const path = "/articles/harbour";
  const ended = { kind: "subscription-ended", on: new Date("2026-11-20T00:00:00Z") } as const;
  const failed = { kind: "payment-failed", on: new Date("2026-11-25T00:00:00Z") } as const;
  const cases: Array<[string, ExplainedDecision, number, RegExp, string[]]> = [
    ["free", explained(readers.anonymous!, "free", 42, null, "read"), 0, /^This article is free/, []],
    ["verified crawler", explained(readers.crawler!, "metered", 42, meters["10 used"]!, "read"), 0, /search engine's crawler/, []],
    ["entitled by subscription", explained(readers.subscriber!, "metered", 42, null, "read"), 0, /^Your subscription lets you read every article\.$/, []],
    ["entitled by grant", explained(readers.granted!, "metered", 42, null, "read"), 0, /complimentary access/, []],
    ["licensed by a seat", explained(readers.member!, "subscribers", 42, null, "read", null, now, licence("seat")), 0, /^Harbour Library gives you access: you can read every article\.$/, []],
    ["licensed by the address", explained(readers["reading room"]!, "subscribers", 42, null, "read", null, now, licence("address")), 0, /^Harbour Library gives you access: you can read every article from its network\.$/, []],
    ["counted", explained(readers.anonymous!, "metered", 42, meters["one used"]!, "read"), 7, /uses one of your free articles/, []],
    ["already counted", explained(readers.anonymous!, "metered", 1, meters["3 used"]!, "read"), 7, /already opened this article/, []],
    [
      "meter exhausted, anonymous",
      explained(readers.anonymous!, "metered", 42, meters["3 used"]!, "read"),
      7,
      /^You have read 3 of your 3 free articles since 2 November; your free articles renew on 2 December\.$/,
      ["/signin?callbackUrl=%2Farticles%2Fharbour&intent=register", "/subscribe?return=%2Farticles%2Fharbour"],
    ],
    ["meter exhausted, payment failed", explained(readers.registered!, "metered", 42, meters["10 used"]!, "read", failed), 0, /10 of your 10 free articles/, ["/account", "/subscribe?return=%2Farticles%2Fharbour"]],
    ["subscribers only, ended", explained(readers.registered!, "subscribers", 42, null, "read", ended), 0, /^This story is for subscribers/, ["/account", "/subscribe?return=%2Farticles%2Fharbour"]],
    ["prefetch", explained(readers.anonymous!, "metered", 42, null, "prefetch"), 7, /asked for this page in advance/, [path]],
    ["not countable", explained(readers.anonymous!, "metered", 42, null, "recheck"), 7, /without the check that counts/, [path]],
    ["unknown access", explained(readers.anonymous!, "vip", 42, null, "read"), 7, /access setting is being changed/, []],
  ];
  it.each(cases)("%s", (_name, d, registerFor, summary, links) => {
    const e = readerExplanation(d, path, registerFor);
    expect(e.summary).toMatch(summary);
    expect(e.actions.map((a) => a.href)).toEqual(links);
    // Nothing internal: no user ids, no article ids, no reason codes.
    expect(JSON.stringify(e)).not.toMatch(/u1|u2|u3|#42|meter-exhausted|subscribers-only/);
  });

  it("says when the subscription ended or the payment failed, with the date", () => {
    const e = readerExplanation(explained(readers.registered!, "metered", 42, meters["10 used"]!, "read", failed), path, 0);
    expect(e.details).toEqual(["Your payment failed on 25 November; update your card to keep reading."]);
    expect(e.actions[0]).toEqual({ href: "/account", label: "Update your card" });
    const s = readerExplanation(explained(readers.registered!, "subscribers", 42, null, "read", ended), path, 0);
    expect(s.details).toEqual(["Your subscription ended on 20 November."]);
  });

  it("a paused subscriber is told until when, and offered Resume now instead of a subscription", () => {
    const paused = { kind: "paused" as const, on: new Date("2026-11-20T00:00:00Z"), until: new Date("2027-01-07T00:00:00Z") };
    const e = readerExplanation(explained(readers.registered!, "subscribers", 42, null, "read", paused), path, 0);
    expect(e.details).toEqual(["Paused until 7 January 2027: nothing is charged and nothing can be read until then, when your subscription resumes by itself."]);
    expect(e.actions).toEqual([{ href: "/account", label: "Resume now" }]);
    const metered = readerExplanation(explained(readers.registered!, "metered", 42, meters["10 used"]!, "read", paused), path, 0);
    expect(metered.actions.map((a) => a.href)).toEqual(["/account"]);
  });

  it("offers registration only to anonymous readers over the meter", () => {
    const signedIn = readerExplanation(explained(readers.registered!, "metered", 42, meters["10 used"]!, "read"), path, 7);
    expect(signedIn.actions.some((a) => a.href.includes("intent=register"))).toBe(false);
  });
});

describe("latestLapse", () => {
  const base = { currentPeriodStart: null, currentPeriodEnd: null, cancelAtPeriodEnd: false, cancelAt: null, endedAt: null, trialEnd: null, clockOffsetSeconds: 0, collectionPaused: false, pausedUntil: null, paidThrough: null };
  it("a cancelled subscription ended at its period end, on our clock", () => {
    const sub = { ...base, status: "canceled" as const, currentPeriodEnd: new Date("2026-11-20T00:00:00Z"), clockOffsetSeconds: 86_400 };
    expect(latestLapse([sub], [], now)).toEqual({ kind: "subscription-ended", on: new Date("2026-11-19T00:00:00Z") });
  });
  it("a pause in effect: since the paid period ended, until the pause ends, on our clock; none while the paid period runs", () => {
    const paused = { ...base, status: "active" as const, collectionPaused: true, currentPeriodEnd: new Date("2026-11-20T00:00:00Z"), pausedUntil: new Date("2026-12-20T00:00:00Z"), clockOffsetSeconds: 86_400 };
    expect(latestLapse([paused], [], now)).toEqual({ kind: "paused", on: new Date("2026-11-19T00:00:00Z"), until: new Date("2026-12-19T00:00:00Z") });
    expect(latestLapse([{ ...paused, currentPeriodEnd: new Date("2026-12-10T00:00:00Z") }], [], now)).toBeNull();
    const lifted = { ...base, status: "active" as const, currentPeriodStart: new Date("2026-11-20T00:00:00Z"), paidThrough: new Date("2026-11-20T00:00:00Z") };
    expect(latestLapse([lifted], [], now)).toEqual({ kind: "paused", on: new Date("2026-11-20T00:00:00Z"), until: null });
  });
  it("a past-due subscription's payment failed when the unpaid period began", () => {
    const sub = { ...base, status: "past_due" as const, currentPeriodStart: new Date("2026-11-25T00:00:00Z") };
    expect(latestLapse([sub], [], now)).toEqual({ kind: "payment-failed", on: new Date("2026-11-25T00:00:00Z") });
  });
  it("the latest of several, grants included; nothing for a reader who never had access", () => {
    const sub = { ...base, status: "canceled" as const, currentPeriodEnd: new Date("2026-10-01T00:00:00Z") };
    const grant = { startsAt: new Date("2026-10-01T00:00:00Z"), endsAt: new Date("2026-11-28T00:00:00Z"), revokedAt: null };
    expect(latestLapse([sub], [grant], now)).toEqual({ kind: "grant-ended", on: grant.endsAt });
    expect(latestLapse([], [], now)).toBeNull();
  });
});

// The wording's dates on fixed clocks: the year appears only when it is not the current one, so
// the words change at a year's end, and no test may depend on the day the suite runs.
describe("reader wording's dates, on any day of the year", () => {
  const exhausted = (at: string, start: string) => {
    const clock = new Date(at);
    const meter: MeterState = { windowStart: Date.parse(start) / 1000, articleIds: [1, 2, 3] };
    return readerExplanation(explained(readers.anonymous!, "metered", 42, meter, "read", null, clock), "/articles/harbour", 7).summary;
  };
  it.each([
    ["7 December: the meter renews next year", "2026-12-07T16:50:00Z", "2026-12-07T00:00:00Z", "since 7 December; your free articles renew on 6 January 2027."],
    ["31 December, a second before midnight", "2026-12-31T23:59:59Z", "2026-12-31T00:00:00Z", "since 31 December; your free articles renew on 30 January 2027."],
    ["1 January: the window began last year", "2027-01-01T00:00:01Z", "2026-12-20T00:00:00Z", "since 20 December 2026; your free articles renew on 19 January."],
    ["29 February in a leap year", "2028-02-29T12:00:00Z", "2028-02-29T00:00:00Z", "since 29 February; your free articles renew on 30 March."],
    ["across Europe's spring daylight-saving change (dates are UTC days)", "2026-03-29T01:30:00Z", "2026-03-28T23:30:00Z", "since 28 March; your free articles renew on 27 April."],
    ["across the autumn change", "2026-10-25T00:30:00Z", "2026-10-25T00:30:00Z", "since 25 October; your free articles renew on 24 November."],
  ])("%s", (_name, at, start, words) => {
    expect(exhausted(at, start)).toBe(`You have read 3 of your 3 free articles ${words}`);
  });
});
