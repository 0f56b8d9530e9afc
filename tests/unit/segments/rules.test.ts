import { describe, expect, it } from "vitest";
import { decideAccess } from "@/lib/access/decide-access";
import { currentVisit, decodeVisit, encodeVisit, nextVisit, VISIT_GAP_SECONDS } from "@/lib/access/visit";
import { segmentSchema } from "@/lib/admin/segments/form";
import { assignReader, settingsWith, type LiveExperiment } from "@/lib/experiments/live-variant";
import { countryFrom, referrerClassOf } from "@/lib/reading/segment-facts";
import { deviceClass } from "@/lib/segments/device-class";
import { frequencyOf, matchSegment, ruleMatches, type SegmentFacts, type SegmentRule } from "@/lib/segments/rules";
import { segmentMeter, settingsForSegment } from "@/lib/segments/segment-settings";
import { meterPolicy as policy, readingSettings as settings } from "../../support/reading-settings";

const now = new Date("2026-12-01T12:00:00Z");
const nowSeconds = Math.floor(now.getTime() / 1000);
const rule = (id: number, r: Partial<SegmentRule> = {}): SegmentRule => ({
  id,
  name: `Rule ${id}`,
  position: id,
  referrerClasses: null,
  signedIn: null,
  newsletterSubscriber: null,
  frequencies: null,
  devices: null,
  countries: null,
  anonymousLimit: null,
  registeredLimit: null,
  leadInBlocks: null,
  registrationWall: null,
  paywallHeading: null,
  paywallBody: null,
  paywallButton: null,
  featuredOfferId: null,
  noOffer: false,
  ...r,
});
const direct: SegmentFacts = { referrer: "direct", signedIn: false, newsletterSubscriber: false, frequency: "new", device: "desktop", country: null };

describe("device class from the user agent", () => {
  it.each([
    ["Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", "mobile"],
    ["Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36", "mobile"],
    ["Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", "tablet"],
    ["Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "tablet"],
    ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "desktop"],
    ["Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15", "desktop"],
    ["", "desktop"],
    [null, "desktop"],
  ])("%s is %s", (ua, expected) => {
    expect(deviceClass(ua)).toBe(expected);
  });
});

describe("referrer class, by the attribution's classifier", () => {
  const at = (referer: string | null, query = "", visitSource: SegmentFacts["referrer"] | null = null) =>
    referrerClassOf({ referer, params: new URLSearchParams(query), ownHost: "ledger.test", visitSource });
  it("names search, social, aggregators, newsletters, direct and internal", () => {
    expect(at("https://www.google.com/")).toBe("search");
    expect(at("https://www.google.de/search?q=x")).toBe("search");
    expect(at("https://t.co/abc")).toBe("social");
    expect(at("https://news.google.com/")).toBe("aggregator");
    expect(at("https://mail.google.com/")).toBe("newsletter");
    expect(at(null, "utm_medium=email")).toBe("newsletter");
    expect(at(null)).toBe("direct");
    expect(at("https://ledger.test/articles/x")).toBe("internal");
  });
  it("a click inside the site keeps the source the running visit came from; a new arrival replaces it", () => {
    expect(at("https://ledger.test/", "", "search")).toBe("search");
    expect(at(null, "", "social")).toBe("social");
    expect(at("https://t.co/x", "", "search")).toBe("social");
  });
  it("a country is two characters, upper-cased, or nothing", () => {
    expect(countryFrom("de")).toBe("DE");
    expect(countryFrom(" AT ")).toBe("AT");
    expect(countryFrom("Germany")).toBeNull();
    expect(countryFrom(null)).toBeNull();
  });
});

describe("rule matching", () => {
  it("a blank condition matches anything; each set condition must hold", () => {
    expect(ruleMatches(rule(1), direct)).toBe(true);
    const search = rule(1, { referrerClasses: ["search"], devices: ["mobile", "tablet"] });
    expect(ruleMatches(search, { ...direct, referrer: "search", device: "mobile" })).toBe(true);
    expect(ruleMatches(search, { ...direct, referrer: "search", device: "desktop" })).toBe(false);
    expect(ruleMatches(search, { ...direct, device: "mobile" })).toBe(false);
    expect(ruleMatches(rule(2, { signedIn: true }), direct)).toBe(false);
    expect(ruleMatches(rule(2, { signedIn: false }), direct)).toBe(true);
    expect(ruleMatches(rule(3, { newsletterSubscriber: true }), { ...direct, signedIn: true, newsletterSubscriber: true })).toBe(true);
    expect(ruleMatches(rule(4, { frequencies: ["loyal"] }), { ...direct, frequency: "returning" })).toBe(false);
  });
  it("a rule naming countries never matches a request without one", () => {
    const german = rule(1, { countries: ["DE"] });
    expect(ruleMatches(german, direct)).toBe(false);
    expect(ruleMatches(german, { ...direct, country: "DE" })).toBe(true);
    expect(ruleMatches(german, { ...direct, country: "FR" })).toBe(false);
  });
  it("first match wins, and every matching rule is listed (for targeted experiments)", () => {
    const rules = [rule(1, { referrerClasses: ["social"] }), rule(2, { referrerClasses: ["search"] }), rule(3, { devices: ["desktop"] })];
    const match = matchSegment(rules, { ...direct, referrer: "search" });
    expect(match.rule?.id).toBe(2);
    expect([...match.matching]).toEqual([2, 3]);
    expect(matchSegment(rules, { ...direct, device: "mobile" }).rule).toBeNull();
    expect(matchSegment([], direct).rule).toBeNull();
  });
  it("frequency: none read this window is new, 1–4 returning, 5 or more loyal", () => {
    expect([0, 1, 4, 5, 40].map(frequencyOf)).toEqual(["new", "returning", "returning", "loyal", "loyal"]);
  });
});

describe("a rule's paywall", () => {
  it("sets what it names and keeps the site's for the rest; no rule: the site's settings unchanged", () => {
    expect(settingsForSegment(settings, null)).toBe(settings);
    const s = settingsForSegment(settings, rule(1, { anonymousLimit: 1, paywallHeading: "From search", noOffer: true, leadInBlocks: 4 }));
    expect(s).toMatchObject({ policy: { anonymousLimit: 1, registeredLimit: 10, windowDays: 30 }, paywallHeading: "From search", paywallBody: "Body", defaultLeadInBlocks: 4, offers: { featuredOfferId: null } });
  });
  it("a registration wall opens nothing to an anonymous reader, and the decision agrees", () => {
    const walled = rule(1, { registrationWall: true });
    expect(settingsForSegment(settings, walled)).toMatchObject({ policy: { anonymousLimit: 0, registeredLimit: 10 }, registrationWall: true });
    const d = decideAccess({ reader: { kind: "anonymous" }, article: { id: 7, access: "metered" }, meter: null, now, policy, intent: "read", segment: segmentMeter(walled) });
    expect(d).toMatchObject({ level: "preview", reason: "meter-exhausted" });
  });
  it("the rule's limit is the decision's; a variant's limit wins over the rule's", () => {
    const segment = segmentMeter(rule(1, { anonymousLimit: 5 }));
    const read = (ids: number[], variants = [] as Parameters<typeof decideAccess>[0]["variants"]) =>
      decideAccess({ reader: { kind: "anonymous" }, article: { id: 99, access: "metered" }, meter: { windowStart: nowSeconds - 60, articleIds: ids }, now, policy, intent: "read", segment, variants });
    expect(read([1, 2, 3]).reason).toBe("counted");
    expect(read([1, 2, 3, 4, 5]).reason).toBe("meter-exhausted");
    expect(read([1, 2, 3], [{ experimentId: 1, variantId: 2, anonymousLimit: 2, registeredLimit: null }]).reason).toBe("meter-exhausted");
  });
  it("a rule change never resets the meter: the count stays, already-counted articles stay open", () => {
    const meter = { windowStart: nowSeconds - 60, articleIds: [1, 2, 3] };
    const strict = segmentMeter(rule(1, { anonymousLimit: 1 }));
    const reread = decideAccess({ reader: { kind: "anonymous" }, article: { id: 2, access: "metered" }, meter, now, policy, intent: "read", segment: strict });
    expect(reread).toMatchObject({ level: "full", reason: "already-counted", meterAfter: meter });
    const next = decideAccess({ reader: { kind: "anonymous" }, article: { id: 4, access: "metered" }, meter, now, policy, intent: "read", segment: strict });
    expect(next).toMatchObject({ reason: "meter-exhausted", meterAfter: meter });
  });
  it("an experiment targeted at a segment assigns only readers matching it", () => {
    const targeted: LiveExperiment = {
      id: 1,
      name: "Search test",
      salt: "salt",
      segmentId: 2,
      variants: [
        { id: 10, name: "Control", weight: 0, position: 0, anonymousLimit: null, registeredLimit: null, leadInBlocks: null, paywallHeading: null, paywallBody: null, paywallButton: null, featuredOfferId: null, noOffer: false, planOrder: null, defaultPlanId: null },
        { id: 11, name: "B", weight: 100, position: 1, anonymousLimit: null, registeredLimit: null, leadInBlocks: null, paywallHeading: "B", paywallBody: null, paywallButton: null, featuredOfferId: null, noOffer: false, planOrder: null, defaultPlanId: null },
      ],
    };
    expect(assignReader([targeted], "reader")).toEqual([]);
    expect(assignReader([targeted], "reader", new Set([1]))).toEqual([]);
    const inSegment = assignReader([targeted], "reader", new Set([1, 2]));
    expect(inSegment.map((v) => v.variantId)).toEqual([11]);
    // The variant changes the segment's paywall, as it changes the site's.
    expect(settingsWith(settingsForSegment(settings, rule(2, { paywallHeading: "Seg", paywallBody: "Seg body" })), inSegment)).toMatchObject({ paywallHeading: "B", paywallBody: "Seg body" });
  });
});

describe("never a worse deal within a visit", () => {
  const key = Buffer.alloc(32, 7);
  it("the visit keeps the most generous limits and lead-in shown, and the decision never drops below them", () => {
    const first = nextVisit(null, { anonymousLimit: 5, registeredLimit: 10, leadInBlocks: 4 }, nowSeconds);
    // A later read in the same visit would get a stricter rule (now a "returning" reader): it keeps 5.
    const later = nextVisit(first, { anonymousLimit: 2, registeredLimit: 10, leadInBlocks: 2 }, nowSeconds + 120);
    expect(later).toMatchObject({ anonymousLimit: 5, leadInBlocks: 4, lastSeen: nowSeconds + 120 });
    const strict = segmentMeter(rule(1, { anonymousLimit: 2 }));
    const d = decideAccess({ reader: { kind: "anonymous" }, article: { id: 9, access: "metered" }, meter: { windowStart: nowSeconds - 60, articleIds: [1, 2, 3] }, now, policy, intent: "read", segment: strict, visitFloor: later });
    expect(d).toMatchObject({ reason: "counted", remaining: 1 });
  });
  it("unchanged within a minute: the same object (no cookie written)", () => {
    const v = nextVisit(null, { anonymousLimit: 3, registeredLimit: 10, leadInBlocks: 2 }, nowSeconds);
    expect(nextVisit(v, { anonymousLimit: 3, registeredLimit: 10, leadInBlocks: 2 }, nowSeconds + 30)).toBe(v);
  });
  it("a visit ends after 30 minutes without a read; a tampered cookie is none", () => {
    const v = nextVisit(null, { anonymousLimit: 5, registeredLimit: 10, leadInBlocks: 4 }, nowSeconds);
    const cookie = encodeVisit(v, key);
    expect(currentVisit(decodeVisit(cookie, key), nowSeconds + 60)).toEqual(v);
    expect(currentVisit(decodeVisit(cookie, key), nowSeconds + VISIT_GAP_SECONDS + 1)).toBeNull();
    const [body] = cookie.split(".");
    const forged = `${Buffer.from(JSON.stringify([nowSeconds, 99, 99, 99])).toString("base64url")}.${cookie.split(".")[1]}`;
    expect(decodeVisit(forged, key)).toBeNull();
    expect(decodeVisit(`${body}.x`, key)).toBeNull();
    expect(decodeVisit(cookie, Buffer.alloc(32, 8))).toBeNull();
  });
});

describe("the rule form", () => {
  it("refuses a rule that changes nothing, bad choices, bad countries and a walled anonymous meter, field by field", () => {
    const bad = segmentSchema.safeParse({ name: "", referrer: ["search", "moon"], countries: "Germany", anonymousLimit: "x" });
    expect(bad.success).toBe(false);
    const fields = Object.fromEntries((bad.error?.issues ?? []).map((i) => [String(i.path[0]), i.message]));
    expect(fields).toMatchObject({ name: "Enter a name", referrer: "Choose referrer classes from the list", countries: "Enter two-letter country codes separated by commas, like DE, AT" });
    expect(segmentSchema.safeParse({ name: "Nothing" }).error?.issues[0]?.message).toBe("This rule changes nothing: set at least one of its settings");
    expect(segmentSchema.safeParse({ name: "Wall", registrationWall: "on", anonymousLimit: "2" }).error?.issues[0]).toMatchObject({ path: ["anonymousLimit"] });
  });
  it("parses ticked boxes, yes/no and countries", () => {
    const ok = segmentSchema.parse({ name: " Search ", referrer: "search", device: ["mobile", "tablet"], signedIn: "no", countries: "de, at", heading: "Hi", offer: "none" });
    expect(ok).toMatchObject({ name: "Search", referrerClasses: ["search"], devices: ["mobile", "tablet"], signedIn: false, newsletterSubscriber: null, countries: ["DE", "AT"], paywallHeading: "Hi", noOffer: true, featuredOfferId: null });
  });
});
