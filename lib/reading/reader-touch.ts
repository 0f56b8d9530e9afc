import type { NextRequest, NextResponse } from "next/server";
import { readTouch, writeTouch } from "@/lib/analytics/attribution-cookie";
import { arrivalFrom, firstArrival } from "@/lib/analytics/source";
import { nextTouch } from "@/lib/analytics/touch";
import { env } from "@/lib/env";

let ownHost: string | null = null;
const siteHost = () => (ownHost ??= new URL(env().SITE_URL).hostname.toLowerCase());

/**
 * Keeps the reader's attribution cookie true after a read: this article, and the source of this
 * arrival when it carries one (a gift opened the article, an outside referrer, UTM tags). No query
 * and no write when nothing changed: one HMAC to read the cookie, one more only to rewrite it.
 */
export function keepTouch(request: NextRequest, response: NextResponse, articleId: number, openedByGift: boolean, now: Date): void {
  const kept = readTouch(request.cookies);
  const referer = request.headers.get("referer");
  const arrival = arrivalFrom({ referer, params: request.nextUrl.searchParams, ownHost: siteHost(), gift: openedByGift });
  const touch = nextTouch(kept, arrival, () => firstArrival({ referer, ownHost: siteHost() }), articleId, Math.floor(now.getTime() / 1000));
  if (touch !== kept) writeTouch(response.cookies, touch);
}
