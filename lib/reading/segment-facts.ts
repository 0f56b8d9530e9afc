import type { NextRequest } from "next/server";
import type { SourceClass } from "@/db/schema";
import { currentWindow, type MeterState } from "@/lib/access/meter";
import type { Reader } from "@/lib/access/reader";
import { readTouch } from "@/lib/analytics/attribution-cookie";
import { arrivalFrom, firstArrival } from "@/lib/analytics/source";
import { env } from "@/lib/env";
import { trustedProxyHeader } from "@/lib/http/client-address";
import { deviceClass } from "@/lib/segments/device-class";
import { frequencyOf, type SegmentFacts } from "@/lib/segments/rules";
import { siteHost } from "./reader-touch";

/**
 * The referrer class of a read, by the attribution's classifier (lib/analytics/source.ts): this
 * request's outside referrer or UTM tags when it has them; else, within a running visit, the
 * source the visit came from (a click inside the site keeps it); else direct or internal. Pure.
 */
export function referrerClassOf(input: { referer: string | null; params: URLSearchParams; ownHost: string; visitSource: SourceClass | null }): SourceClass {
  const arrival = arrivalFrom({ referer: input.referer, params: input.params, ownHost: input.ownHost, gift: false });
  if (arrival) return arrival.class;
  return input.visitSource ?? firstArrival({ referer: input.referer, ownHost: input.ownHost }).class;
}

/** A two-letter country code as the proxy sent it, upper case, or null for anything else (XX, T1 and the like are kept as sent). */
export function countryFrom(value: string | null): string | null {
  const code = value?.trim() ?? "";
  return /^[A-Za-z][A-Za-z0-9]$/.test(code) ? code.toUpperCase() : null;
}

/**
 * What this request carries that a segment rule may look at: no query (the reader's facts came
 * with the session, the meter with the cookie or the session, the touch is a signed cookie).
 */
export function segmentFactsFor(
  request: NextRequest,
  reader: Reader,
  meter: MeterState | null,
  context: { now: Date; windowDays: number; visitRunning: boolean },
): SegmentFacts {
  const header = env().COUNTRY_HEADER;
  const kept = context.visitRunning ? readTouch(request.cookies) : null;
  return {
    referrer: referrerClassOf({ referer: request.headers.get("referer"), params: request.nextUrl.searchParams, ownHost: siteHost(), visitSource: kept?.s ?? null }),
    signedIn: reader.kind === "user",
    newsletterSubscriber: reader.kind === "user" && reader.newsletterSubscriber === true,
    frequency: frequencyOf(currentWindow(meter, context.now, context.windowDays).articleIds.length),
    device: deviceClass(request.headers.get("user-agent")),
    country: header ? countryFrom(trustedProxyHeader(request.headers, header)) : null,
  };
}
