import type { AuditSegment } from "@/lib/leak-audit/canaries";
import type { Identity } from "../context";
import { inParallel, type Channel } from "./types";

// One outside host per referrer class, as the attribution's classifier names them (lib/analytics/source.ts).
const REFERRERS: Record<string, string | null> = {
  search: "https://www.google.com/",
  social: "https://t.co/",
  aggregator: "https://news.google.com/",
  newsletter: "https://mail.google.com/",
  other: "https://example.org/",
  direct: null,
  gift: null,
  internal: "",
};
const USER_AGENTS: Record<string, string> = {
  mobile: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
  tablet: "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
  desktop: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
};

/** The headers of a request that matches the rule's request-carried conditions. */
export function segmentHeaders(segment: AuditSegment, base: URL): Record<string, string> {
  const headers: Record<string, string> = {};
  const referer = segment.referrer ? REFERRERS[segment.referrer] : null;
  if (referer !== null && referer !== undefined) headers.referer = referer === "" ? new URL("/", base).toString() : referer;
  if (segment.device) headers["user-agent"] = USER_AGENTS[segment.device]!;
  if (segment.country) headers[segment.country.header] = segment.country.value;
  return headers;
}

/**
 * Every article as each reader, once per live segment rule with the request that rule names: each
 * rule's paywall (its lead-in, its meter) is crawled on purpose. A rule may raise the meter, so
 * the read itself may count (a metered article in full, as for any reader with credits left).
 */
export const segmentsChannel: Channel = {
  name: "segments",
  checks: "each article as each reader with the referrer, device and country header each live segment rule names",
  async run(ctx) {
    if (ctx.segments.length === 0) {
      ctx.skip("segments", "no segment rules on this site (or none given with --segments)");
      return;
    }
    const readers = [ctx.identity("stranger"), ctx.identity("registered"), ctx.identity("no-cookies")].filter((i): i is Identity => !!i);
    const probes = ctx.segments.flatMap((segment) =>
      ctx.articles.flatMap((article) =>
        readers.map((identity) => ({ identity, url: ctx.url(`/articles/${article.slug}`), headers: segmentHeaders(segment, ctx.base), also: article.access === "metered" ? [article.id] : [] })),
      ),
    );
    await inParallel(probes, 6, async (p) => {
      await ctx.probe({ channel: "segments", identity: p.identity, url: p.url, headers: p.headers, alsoMayRead: p.also });
    });
    ctx.note(`segments: crawled ${ctx.segments.length} live rule(s): ${ctx.segments.map((s) => s.name).join(", ")}`);
  },
};
