import { z } from "zod";
import type { SourceClass } from "@/db/schema";

/**
 * Where a reader came from, judged from what their arrival carried: the Referer's host, the
 * UTM parameters of the address, or a gift link. Pure: the article response calls it on a read,
 * the tests call it with plain values. The Referer and the UTM parameters are the browser's to
 * send, so they only ever name a class from our list and a short, checked host: analytics, never
 * a decision.
 */

const text = z.string().trim().min(1).max(100).regex(/^[\p{L}\p{N} ._~+\-/:|]+$/u);
export const utmSchema = z.object({
  source: text.optional(),
  medium: text.optional(),
  campaign: text.optional(),
  term: text.optional(),
  content: text.optional(),
});
export type Utm = z.infer<typeof utmSchema>;

// A name, never an address: the last label starts with a letter, so an IP literal is no host here.
const hostSchema = z.string().max(253).regex(/^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)*[a-z]([a-z0-9-]*[a-z0-9])?$/);

export interface Arrival {
  class: SourceClass;
  host: string | null;
  utm: Utm;
}

// Host suffixes, matched on a dot boundary ("news.google.com" before "google.com": aggregators first).
const AGGREGATORS = ["news.google.com", "news.yahoo.com", "news.ycombinator.com", "flipboard.com", "apple.news", "msn.com", "smartnews.com", "feedly.com", "newsbreak.com", "upday.com", "inoreader.com", "ground.news"];
const NEWSLETTER_HOSTS = ["mail.google.com", "outlook.live.com", "outlook.office.com", "mail.yahoo.com", "mail.proton.me", "substack.com"];
const SEARCH = ["google.com", "bing.com", "duckduckgo.com", "search.yahoo.com", "yandex.ru", "yandex.com", "baidu.com", "ecosia.org", "qwant.com", "search.brave.com", "startpage.com", "kagi.com"];
const SOCIAL = ["facebook.com", "fb.me", "t.co", "twitter.com", "x.com", "linkedin.com", "lnkd.in", "instagram.com", "reddit.com", "threads.net", "bsky.app", "mastodon.social", "pinterest.com", "tiktok.com", "youtube.com", "whatsapp.com", "t.me", "telegram.org"];

const matches = (host: string, list: readonly string[]) => list.some((d) => host === d || host.endsWith(`.${d}`));
// Google's and Yahoo's country sites (google.de, google.co.uk) are search too.
const COUNTRY_SEARCH = /(^|\.)(google|yahoo|bing)\.[a-z]{2,3}(\.[a-z]{2})?$/;

/** The class of a referring host that is not ours. */
export function classifyHost(host: string): SourceClass {
  if (matches(host, AGGREGATORS)) return "aggregator";
  if (matches(host, NEWSLETTER_HOSTS)) return "newsletter";
  if (matches(host, SEARCH) || COUNTRY_SEARCH.test(host)) return "search";
  if (matches(host, SOCIAL)) return "social";
  return "other";
}

/** The class the publisher's own tags say (utm_medium, then utm_source), when they say one we know. */
function classifyUtm(utm: Utm): SourceClass | null {
  const medium = utm.medium?.toLowerCase();
  const source = utm.source?.toLowerCase();
  if (medium === "email" || medium === "newsletter" || source === "newsletter") return "newsletter";
  if (medium === "social" || medium === "social-media" || medium === "social_media") return "social";
  if (medium === "cpc" || medium === "ppc" || medium === "search" || medium === "organic") return "search";
  if (medium === "aggregator" || medium === "syndication") return "aggregator";
  return null;
}

/** The UTM parameters of an address, each dropped when it is not short plain text. */
export function utmFrom(params: URLSearchParams): Utm {
  const utm: Utm = {};
  for (const key of ["source", "medium", "campaign", "term", "content"] as const) {
    // Most reads carry no tags: only a present one is parsed (a failed parse builds an error).
    const given = params.get(`utm_${key}`);
    if (given === null) continue;
    const parsed = text.safeParse(given);
    if (parsed.success) utm[key] = parsed.data;
  }
  return utm;
}

/** The Referer's host, lower case, or null when there is none or it is not a plain web address. */
export function referrerHost(referer: string | null): string | null {
  if (!referer || referer.length > 2_000) return null;
  try {
    const url = new URL(referer);
    if (url.protocol !== "https:" && url.protocol !== "http:") return null;
    const host = hostSchema.safeParse(url.hostname.toLowerCase());
    return host.success ? host.data : null;
  } catch {
    return null;
  }
}

/**
 * What this request says about where the reader came from, or null when it says nothing new
 * (a click inside our own site, or no referrer and no tags): the reader keeps the source they
 * arrived with. A gift link is its own source, whatever page carried it.
 */
export function arrivalFrom(input: { referer: string | null; params: URLSearchParams; ownHost: string; gift: boolean }): Arrival | null {
  const host = referrerHost(input.referer);
  const utm = utmFrom(input.params);
  const external = host !== null && host !== input.ownHost;
  if (input.gift) return { class: "gift", host: external ? host : null, utm };
  const tagged = Object.keys(utm).length > 0;
  if (!tagged && !external) return null;
  return { class: classifyUtm(utm) ?? (external ? classifyHost(host) : "other"), host: external ? host : null, utm };
}

/** The source of a reader with nothing kept: a first request with no referrer is direct, one from our own pages internal. */
export function firstArrival(input: { referer: string | null; ownHost: string }): Arrival {
  return { class: referrerHost(input.referer) === input.ownHost ? "internal" : "direct", host: null, utm: {} };
}
