import type { NextRequest, NextResponse } from "next/server";
import { readTouch, writeTouch } from "@/lib/analytics/attribution-cookie";
import { arrivalFrom, firstArrival } from "@/lib/analytics/source";
import { nextTouch } from "@/lib/analytics/touch";
import { env } from "@/lib/env";

let ownHost: string | null = null;
/** This site's own host (a referrer from it is a click inside the site). */
export const siteHost = () => (ownHost ??= new URL(env().SITE_URL).hostname.toLowerCase());

/**
 * Keeps the reader's attribution cookie true after a read: this article, the source of this
 * arrival when it carries one (a gift opened the article, an outside referrer, UTM tags), and
 * the paywalls this browser has seen. No query and no write when nothing changed: one HMAC to
 * read the cookie, one more only to rewrite it. Says whether this was the browser's first
 * paywall on this article (a reader, for the conversion rate), and which experiment variants it
 * saw for the first time (a reader of each, for the results).
 */
export function keepTouch(request: NextRequest, response: NextResponse, read: { articleId: number; paywall: boolean; openedByGift: boolean; variantIds: readonly number[] }, now: Date): { firstPaywall: boolean; newVariants: number[] } {
  const kept = readTouch(request.cookies);
  const referer = request.headers.get("referer");
  const arrival = arrivalFrom({ referer, params: request.nextUrl.searchParams, ownHost: siteHost(), gift: read.openedByGift });
  const next = nextTouch(kept, arrival, () => firstArrival({ referer, ownHost: siteHost() }), read, Math.floor(now.getTime() / 1000));
  if (next.touch !== kept) writeTouch(response.cookies, next.touch);
  return { firstPaywall: next.firstPaywall, newVariants: next.newVariants };
}
