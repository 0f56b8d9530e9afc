import type { Identity } from "../context";
import { inParallel, type Channel } from "./types";

const GOOGLEBOT = "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
/** An address in Googlebot's published range: a spoofer can claim it, only DNS can prove it. */
const GOOGLE_ADDRESS = "66.249.66.1";

/** Headers a client can send to pose as a prefetch, a router, a crawler, an internal request or a decision. */
export const HEADER_VARIANTS: Array<{ name: string; headers: Record<string, string>; background?: boolean }> = [
  { name: "RSC", headers: { rsc: "1" }, background: true },
  { name: "router prefetch", headers: { rsc: "1", "next-router-prefetch": "1" }, background: true },
  { name: "Next-Router-Prefetch", headers: { "next-router-prefetch": "1" }, background: true },
  { name: "Sec-Purpose prefetch", headers: { "sec-purpose": "prefetch" }, background: true },
  { name: "Purpose prefetch", headers: { purpose: "prefetch" }, background: true },
  { name: "Accept JSON", headers: { accept: "application/json" } },
  { name: "Accept RSC", headers: { accept: "text/x-component" } },
  { name: "Googlebot", headers: { "user-agent": GOOGLEBOT } },
  { name: "Google Referer", headers: { referer: "https://www.google.com/" } },
  { name: "Google X-Forwarded-For", headers: { "x-forwarded-for": GOOGLE_ADDRESS } },
  // An organisation's IP range (tools/leak-audit/site.ts) claimed in a header the hop does not vouch for.
  { name: "licensed range X-Forwarded-For", headers: { "x-forwarded-for": "192.0.2.7" } },
  { name: "spoofed Googlebot", headers: { "user-agent": GOOGLEBOT, "x-forwarded-for": GOOGLE_ADDRESS, "x-real-ip": GOOGLE_ADDRESS, referer: "https://www.google.com/" } },
  { name: "x-middleware-subrequest (proxy)", headers: { "x-middleware-subrequest": "proxy:proxy:proxy:proxy:proxy" } },
  { name: "x-middleware-subrequest (middleware)", headers: { "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware" } },
  {
    name: "forged decision headers",
    headers: {
      "x-masthead-access": "full",
      "x-access-level": "full",
      "x-paywall": "off",
      "x-reader": "subscriber",
      "x-entitled": "1",
      "x-decision": "full",
      "x-middleware-override-headers": "x-access-level",
      "x-middleware-request-x-access-level": "full",
      "x-nextjs-data": "1",
      "x-invoke-status": "200",
    },
  },
];

/**
 * Each article with each header set, as each reader; the ones that only ever lower what a reader
 * gets (prefetches, router requests, internal subrequests) also from a client with no cookies,
 * which must then get no locked text at all. Includes the spoofed Googlebot: with or without
 * VERIFIED_CRAWLERS it gets the preview.
 */
export const requestHeaders: Channel = {
  name: "request-headers",
  checks: "RSC, router prefetch, Sec-Purpose/Purpose prefetch, Accept JSON/RSC, Googlebot, Google Referer and X-Forwarded-For, an organisation's IP range in X-Forwarded-For, x-middleware-subrequest, forged decision headers, a forged meter cookie",
  async run(ctx) {
    const readers = [ctx.identity("stranger"), ctx.identity("registered")].filter((i): i is Identity => !!i);
    const none = ctx.identity("no-cookies")!;
    const forgedMeter = (ids: number[]) => `mh_meter=${Buffer.from(JSON.stringify([Math.floor(Date.now() / 1000), ids])).toString("base64url")}.forged`;
    const all = ctx.articles.map((a) => a.id);
    const probes = ctx.articles.flatMap((article) => {
      const url = ctx.url(`/articles/${article.slug}`);
      return [
        // A segment rule may give a referrer or a user agent a larger meter: such a read may count (a metered article in full).
        ...HEADER_VARIANTS.flatMap((v) => readers.map((identity) => ({ url, identity, headers: v.headers, also: ctx.segments.length > 0 && !v.background && article.access === "metered" ? [article.id] : [] }))),
        ...HEADER_VARIANTS.filter((v) => v.background).map((v) => ({ url, identity: none, headers: v.headers, also: [] as number[] })),
        // A forged meter counts as none: the read may count (a metered article in full), nothing more.
        { url, identity: none, headers: { cookie: forgedMeter(all) }, also: article.access === "metered" ? [article.id] : [] },
      ];
    });
    await inParallel(probes, 6, async (p) => {
      await ctx.probe({ channel: "request-headers", identity: p.identity, url: p.url, headers: p.headers, alsoMayRead: p.also });
    });
  },
};
