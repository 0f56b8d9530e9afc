import { describe, expect, it } from "vitest";
import { entryFor } from "@/lib/analytics/attribution";
import { arrivalFrom, classifyHost, firstArrival, referrerHost, utmFrom } from "@/lib/analytics/source";
import { nextTouch, PAYWALLS_KEPT, TOUCH_WINDOW_DAYS, type Touch } from "@/lib/analytics/touch";
import { parseAttributionQuery } from "@/lib/admin/attribution/form";
import { conversionRate } from "@/lib/admin/attribution/queries";

const OWN = "news.example.com";
const arrival = (referer: string | null, query = "", gift = false) => arrivalFrom({ referer, params: new URLSearchParams(query), ownHost: OWN, gift });

describe("source classes", () => {
  it.each([
    ["www.google.com", "search"],
    ["www.google.co.uk", "search"],
    ["google.de", "search"],
    ["duckduckgo.com", "search"],
    ["news.google.com", "aggregator"],
    ["flipboard.com", "aggregator"],
    ["news.ycombinator.com", "aggregator"],
    ["t.co", "social"],
    ["l.facebook.com", "social"],
    ["www.reddit.com", "social"],
    ["mail.google.com", "newsletter"],
    ["someblog.example", "other"],
    // A suffix counts on a dot boundary only.
    ["notgoogle.com", "other"],
    ["fakex.com", "other"],
  ])("%s is %s", (host, expected) => {
    expect(classifyHost(host)).toBe(expected);
  });

  it("UTM tags say the class before the referrer does; a newsletter's link is a newsletter arrival", () => {
    expect(arrival("https://www.google.com/", "utm_medium=email&utm_source=monday")).toMatchObject({ class: "newsletter", host: "www.google.com", utm: { medium: "email", source: "monday" } });
    expect(arrival(null, "utm_source=newsletter")).toMatchObject({ class: "newsletter", host: null });
    expect(arrival(null, "utm_medium=social&utm_campaign=spring")).toMatchObject({ class: "social", utm: { campaign: "spring" } });
    expect(arrival(null, "utm_source=partner")).toMatchObject({ class: "other" });
  });

  it("a gift link is its own source, whatever page carried it", () => {
    expect(arrival("https://t.co/abc", "", true)).toEqual({ class: "gift", host: "t.co", utm: {} });
    expect(arrival(null, "", true)).toEqual({ class: "gift", host: null, utm: {} });
  });

  it("a click inside our site, or a request with nothing, is no new arrival; a first one is internal or direct", () => {
    expect(arrival(`https://${OWN}/articles/x`)).toBeNull();
    expect(arrival(null)).toBeNull();
    expect(firstArrival({ referer: `https://${OWN}/`, ownHost: OWN })).toMatchObject({ class: "internal" });
    expect(firstArrival({ referer: null, ownHost: OWN })).toMatchObject({ class: "direct" });
  });

  it("what a browser sends is bounded: odd referrers and tags are dropped, never stored as given", () => {
    expect(referrerHost("javascript:alert(1)")).toBeNull();
    expect(referrerHost("not a url")).toBeNull();
    expect(referrerHost("https://EXAMPLE.com/x")).toBe("example.com");
    expect(referrerHost("http://127.0.0.1:8080/")).toBeNull();
    expect(referrerHost("http://[::1]/")).toBeNull();
    expect(referrerHost("http://localhost:3000/")).toBe("localhost");
    expect(referrerHost(`https://${"a".repeat(2_100)}.com/`)).toBeNull();
    expect(utmFrom(new URLSearchParams({ utm_source: "<script>", utm_medium: "x".repeat(101), utm_campaign: " spring sale " }))).toEqual({ campaign: "spring sale" });
  });
});

describe("the touch", () => {
  const now = 1_800_000_000;
  const first = () => ({ class: "direct" as const, host: null, utm: {} });
  const kept: Touch = { a: 1, s: "social", h: "t.co", u: { campaign: "c" }, t: now - 3_600, p: [1], v: [] };
  const read = (articleId: number, paywall = false) => ({ articleId, paywall });

  it("a new arrival replaces the source and the article, and keeps the paywalls seen", () => {
    expect(nextTouch(kept, { class: "search", host: "www.bing.com", utm: {} }, first, read(2), now)).toEqual({
      touch: { a: 2, s: "search", h: "www.bing.com", u: {}, t: now, p: [1], v: [] },
      firstPaywall: false,
      newVariants: [],
    });
  });

  it("reading on keeps the source and moves the article; the same article changes nothing (no cookie written)", () => {
    expect(nextTouch(kept, null, first, read(2), now).touch).toEqual({ ...kept, a: 2 });
    expect(nextTouch(kept, null, first, read(1), now).touch).toBe(kept);
    expect(nextTouch(kept, null, first, read(1, true), now)).toEqual({ touch: kept, firstPaywall: false, newVariants: [] });
  });

  it("a paywall is a reader's first on that article once per window; the list keeps the newest 50", () => {
    const seen = nextTouch(kept, null, first, read(2, true), now);
    expect(seen).toEqual({ touch: { ...kept, a: 2, p: [1, 2] }, firstPaywall: true, newVariants: [] });
    expect(nextTouch(seen.touch, null, first, read(2, true), now).firstPaywall).toBe(false);
    const full: Touch = { ...kept, p: Array.from({ length: PAYWALLS_KEPT }, (_, i) => i + 1) };
    const next = nextTouch(full, null, first, read(999, true), now).touch.p;
    expect(next).toHaveLength(PAYWALLS_KEPT);
    expect(next[0]).toBe(2);
    expect(next.at(-1)).toBe(999);
  });

  it("a touch older than the window gives way to this request's own, paywalls and all", () => {
    const old = { ...kept, t: now - TOUCH_WINDOW_DAYS * 86_400 - 1 };
    expect(nextTouch(old, null, first, read(1, true), now)).toEqual({ touch: { a: 1, s: "direct", h: null, u: {}, t: now, p: [1], v: [] }, firstPaywall: true, newVariants: [] });
    expect(nextTouch(null, null, first, read(3), now).touch).toEqual({ a: 3, s: "direct", h: null, u: {}, t: now, p: [], v: [] });
  });

  it("an experiment variant is new to the browser once: it joins the list, which the next arrival keeps", () => {
    const shown = nextTouch(kept, null, first, { articleId: 1, paywall: false, variantIds: [7, 9] }, now);
    expect(shown).toEqual({ touch: { ...kept, v: [7, 9] }, firstPaywall: false, newVariants: [7, 9] });
    const again = nextTouch(shown.touch, null, first, { articleId: 1, paywall: false, variantIds: [7, 9] }, now);
    expect(again.touch).toBe(shown.touch);
    expect(again.newVariants).toEqual([]);
    expect(nextTouch(shown.touch, { class: "search", host: "www.bing.com", utm: {} }, first, read(2), now).touch.v).toEqual([7, 9]);
    const old = { ...shown.touch, t: now - TOUCH_WINDOW_DAYS * 86_400 - 1 };
    expect(nextTouch(old, null, first, { articleId: 1, paywall: false, variantIds: [7] }, now).newVariants).toEqual([7]);
  });

  it("the entry names the box the event lives in, or the gift link", () => {
    expect(entryFor("subscribed", kept, null)).toBe("paywall_card");
    expect(entryFor("checkout_started", kept, "SPRING")).toBe("offer_card");
    expect(entryFor("newsletter_signup", kept, null)).toBe("newsletter_box");
    expect(entryFor("registered", { ...kept, s: "gift" }, null)).toBe("gift_link");
    expect(entryFor("subscribed", null, null)).toBeNull();
    expect(entryFor("subscribed", { ...kept, a: null }, null)).toBeNull();
  });
});

describe("the report's filter and rate", () => {
  it("a bad period or source is a field error and falls back to the default", () => {
    expect(parseAttributionQuery({ days: "90", source: "social" })).toEqual({ query: { days: 90, source: "social" }, errors: {} });
    const bad = parseAttributionQuery({ days: "12", source: "tv" });
    expect(bad.query).toEqual({ days: 30 });
    expect(bad.errors).toEqual({ days: expect.stringContaining("period"), source: expect.stringContaining("source") });
    expect(parseAttributionQuery({ days: "7", source: "" })).toEqual({ query: { days: 7 }, errors: {} });
  });

  it("conversion is subscriptions over paywall readers, in percent", () => {
    expect(conversionRate(3, 200)).toBe(1.5);
    expect(conversionRate(1, 3)).toBe(33.33);
    expect(conversionRate(1, 0)).toBeNull();
  });
});
