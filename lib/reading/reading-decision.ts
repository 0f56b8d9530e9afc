import "server-only";
import type { NextRequest } from "next/server";
import { getDb } from "@/db/client";
import type { ArticleAccessLevel } from "@/db/schema";
import { checkGift, type GiftOutcome, type GiftRequest } from "@/lib/gifts/gift-reading";
import { getReadingSettings, type ReadingSettings } from "@/lib/settings";
import { decideAccess, type AccessDecision, type AccessInput, type RequestIntent } from "@/lib/access/decide-access";
import type { MeterState } from "@/lib/access/meter";
import { readMeterCookie } from "@/lib/access/meter-cookie";
import { addressLicence } from "@/lib/access/address-licences";
import { runningLicence, type Licence } from "@/lib/access/licence";
import type { Reader } from "@/lib/access/reader";
import { resolveReader, type ResolvedReader } from "@/lib/access/resolve-reader";
import { recordLicensedRead } from "@/lib/analytics/licence-reads";
import { clientAddress } from "@/lib/http/client-address";
import { decideWithUserMeter } from "@/lib/access/user-meter";
import { isLinkPreview } from "@/lib/http/link-preview";
import { isBackgroundRequest } from "./background-request";
import { isVerifiedCrawler } from "@/lib/crawlers/verified-crawler";
import { getLiveExperiments } from "@/lib/experiments/live-experiments";
import { assignReaderCached, settingsWith, type AssignedVariant } from "@/lib/experiments/live-variant";
import { readerKeyOf } from "@/lib/experiments/reader-key";
import { policyWith, type VisitFloor } from "@/lib/access/decide-access";
import { readVisitCookie } from "@/lib/access/visit-cookie";
import type { VisitState } from "@/lib/access/visit";
import { getLiveSegments } from "@/lib/segments/live-segments";
import { matchSegment, type SegmentMatch, type SegmentRule } from "@/lib/segments/rules";
import { segmentMeter, settingsForSegment } from "@/lib/segments/segment-settings";
import type { LiveExperiment } from "@/lib/experiments/live-variant";
import { segmentFactsFor } from "./segment-facts";

export interface ReadingDecision {
  decision: AccessDecision;
  reader: Reader;
  /** The publisher's settings as the reader's experiment variants change them. */
  settings: ReadingSettings;
  /** The reader's variant in each live experiment (none for a crawler). */
  variants: AssignedVariant[];
  /** The segment rule the request matched (first match wins), or null: the site's settings. */
  segment: SegmentRule | null;
  /** This browser's running visit, while segments or experiments can vary the paywall (null: none kept). */
  visit: { kept: VisitState | null } | null;
  /** A reader id made for this browser now, to be set on the response (only while an experiment runs). */
  newReaderId: string | null;
  /** The meter this reader may open per window. */
  limit: number;
  /** The meter to store in an anonymous reader's cookie, when their read was counted. */
  cookieMeter: MeterState | null;
  /** What a gift link or cookie came to; null when the request carried none. */
  gift: GiftOutcome | null;
  /** The licence the reader read through (a seat, or the address they read from), when one ran. */
  licence: Licence | null;
}

/**
 * Gathers the decision's inputs for one request (reader, meter, settings), decides, and
 * records what the decision spent: in the database for a registered reader, in the returned
 * cookie meter for an anonymous one. Only the `read` intent can spend; a background request
 * (a prefetch) or a known link preview is decided as `prefetch` whatever it claims, and so is an
 * opened gift link, which only sends the browser on to the clean address with the gift's cookie.
 */
export async function decideReading(
  request: NextRequest,
  article: { id: number; access: ArticleAccessLevel },
  requested: RequestIntent,
  giftRequest: GiftRequest | null = null,
): Promise<ReadingDecision> {
  const now = new Date();
  const [base, live, resolved, rules] = await Promise.all([getReadingSettings(), getLiveExperiments(), readerFor(request, now), getLiveSegments()]);
  const { reader, serverMeter } = resolved;
  const cookieMeter = reader.kind === "user" ? null : readMeterCookie(request.cookies);
  // The visit is kept only while something can vary the paywall per request (segments, experiments).
  const varies = (rules.length > 0 || live.length > 0) && reader.kind !== "crawler";
  const visit = varies ? { kept: readVisitCookie(request.cookies, now) } : null;
  // In memory: the rules are cached and matched on what the request carries (no query).
  const match: SegmentMatch = varies && rules.length > 0
    ? matchSegment(rules, segmentFactsFor(request, reader, reader.kind === "user" ? serverMeter : cookieMeter, { now, windowDays: base.policy.windowDays, visitRunning: visit?.kept != null }))
    : { rule: null, matching: new Set() };
  // In memory: the live experiments are cached, the variant is a hash of the reader's key.
  const key = live.length === 0 || reader.kind === "crawler" ? null : readerKeyOf(request.cookies, reader.kind === "user" ? reader : null);
  const variants = key ? assignReaderCached(live, key.key, match.matching) : [];
  const visitFloor: VisitFloor | null = visit?.kept ?? null;
  const settings = withVisitFloor(settingsWith(settingsForSegment(base, match.rule), variants), visit?.kept ?? null, base, live, rules);
  const segment = segmentMeter(match.rule);
  const newReaderId = key?.fresh ?? null;
  const licence = article.access === "free" || reader.kind === "crawler" ? null : await licenceFor(request, resolved, now);
  const notAReader = isBackgroundRequest(request.headers) || isLinkPreview(request.headers);
  const intent: AccessInput["intent"] = notAReader ? "prefetch" : requested;
  const decideWith = (meter: AccessInput["meter"], verified: AccessInput["gift"], as: AccessInput["intent"] = intent) =>
    decideAccess({ reader, article, meter, now, policy: base.policy, intent: as, gift: verified, licence, variants, segment, visitFloor });
  // The gift is checked (one query at most) only when the request carries one and it could matter.
  const fullAnyway = ["free", "verified-crawler", "entitled", "gift-subscription", "family", "licensed"].includes(decideWith(null, null).reason);
  const gift = await checkGift(giftRequest, { reader, fullAnyway, article, intent, settings: settings.gift, now });
  // A link that will redirect spends nothing here: the page after the redirect decides.
  const decide = (meter: AccessInput["meter"]) => decideWith(meter, gift?.check?.verified, gift?.setCookie ? "prefetch" : intent);

  if (reader.kind !== "user") {
    const decision = decide(cookieMeter);
    countLicensedRead(decision, intent, licence, null);
    return {
      decision,
      reader,
      settings,
      variants,
      segment: match.rule,
      visit,
      newReaderId,
      limit: settings.policy.anonymousLimit,
      cookieMeter: decision.reason === "counted" ? decision.meterAfter : null,
      gift,
      licence: decision.reason === "licensed" ? licence : null,
    };
  }

  const result = { reader, settings, variants, segment: match.rule, visit, newReaderId, limit: settings.policy.registeredLimit, cookieMeter: null, gift };
  // Decide on the meter read with the session; only a read that spends a credit takes the lock
  // and decides again on the locked row (two tabs cannot both take the last credit).
  const decision = decide(serverMeter);
  if (decision.reason !== "counted") {
    countLicensedRead(decision, intent, licence, reader.userId);
    return { ...result, decision, licence: decision.reason === "licensed" ? licence : null };
  }
  return { ...result, decision: await decideWithUserMeter(await getDb(), reader.userId, decide), licence: null };
}

/** A seat the reader holds whose term runs, else the licence whose IP ranges hold the client's address (in memory, no query). */
async function licenceFor(request: NextRequest, resolved: ResolvedReader, now: Date): Promise<Licence | null> {
  return runningLicence(resolved.licences, now) ?? (await addressLicence(clientAddress(request.headers), now));
}

/** A licensed read the proxy answers is counted to its organisation (and the member, for a seat): counts only, never the article. */
function countLicensedRead(decision: AccessDecision, intent: AccessInput["intent"], licence: Licence | null, userId: string | null): void {
  if (decision.reason !== "licensed" || intent !== "read" || !licence) return;
  recordLicensedRead(licence.organisationId, licence.via === "seat" ? userId : null);
}

/** A crawler DNS proved (only when VERIFIED_CRAWLERS names it), or whoever the cookies prove. */
async function readerFor(request: NextRequest, now: Date): Promise<ResolvedReader> {
  if (await isVerifiedCrawler(request.headers)) return { reader: { kind: "crawler", name: "google" }, serverMeter: null, licences: [] };
  return resolveReader(request.cookies, now);
}

/**
 * The settings never worse than what this visit was shown (docs/segments.md): the limits and the
 * default lead-in at least the visit's. The lead-in kept is capped at the longest one a live
 * setting, variant or rule sets, so the leak audit's canaries (from what none of them shows) hold.
 */
function withVisitFloor(settings: ReadingSettings, visit: VisitState | null, base: ReadingSettings, live: readonly LiveExperiment[], rules: readonly SegmentRule[]): ReadingSettings {
  if (!visit) return settings;
  const longest = Math.max(base.defaultLeadInBlocks, ...live.flatMap((e) => e.variants.map((v) => v.leadInBlocks ?? 0)), ...rules.map((r) => r.leadInBlocks ?? 0));
  return {
    ...settings,
    policy: policyWith(settings.policy, [], null, visit),
    defaultLeadInBlocks: Math.max(settings.defaultLeadInBlocks, Math.min(visit.leadInBlocks, longest)),
  };
}
