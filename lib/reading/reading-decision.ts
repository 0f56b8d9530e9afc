import "server-only";
import type { NextRequest } from "next/server";
import { getDb } from "@/db/client";
import type { ArticleAccessLevel } from "@/db/schema";
import { checkGift, type GiftOutcome, type GiftRequest } from "@/lib/gifts/gift-reading";
import { getReadingSettings, type ReadingSettings } from "@/lib/settings";
import { decideAccess, type AccessDecision, type AccessInput, type RequestIntent } from "@/lib/access/decide-access";
import type { MeterState } from "@/lib/access/meter";
import { readMeterCookie } from "@/lib/access/meter-cookie";
import type { Reader } from "@/lib/access/reader";
import { resolveReader } from "@/lib/access/resolve-reader";
import { decideWithUserMeter } from "@/lib/access/user-meter";
import { isLinkPreview } from "@/lib/http/link-preview";
import { isBackgroundRequest } from "./background-request";
import { isVerifiedCrawler } from "@/lib/crawlers/verified-crawler";

export interface ReadingDecision {
  decision: AccessDecision;
  reader: Reader;
  settings: ReadingSettings;
  /** The meter this reader may open per window. */
  limit: number;
  /** The meter to store in an anonymous reader's cookie, when their read was counted. */
  cookieMeter: MeterState | null;
  /** What a gift link or cookie came to; null when the request carried none. */
  gift: GiftOutcome | null;
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
  const [settings, { reader, serverMeter }] = await Promise.all([getReadingSettings(), readerFor(request, now)]);
  const notAReader = isBackgroundRequest(request.headers) || isLinkPreview(request.headers);
  const intent: AccessInput["intent"] = notAReader ? "prefetch" : requested;
  const decideWith = (meter: AccessInput["meter"], verified: AccessInput["gift"], as: AccessInput["intent"] = intent) =>
    decideAccess({ reader, article, meter, now, policy: settings.policy, intent: as, gift: verified });
  // The gift is checked (one query at most) only when the request carries one and it could matter.
  const fullAnyway = ["free", "verified-crawler", "entitled"].includes(decideWith(null, null).reason);
  const gift = await checkGift(giftRequest, { reader, fullAnyway, article, intent, settings: settings.gift, now });
  // A link that will redirect spends nothing here: the page after the redirect decides.
  const decide = (meter: AccessInput["meter"]) => decideWith(meter, gift?.check?.verified, gift?.setCookie ? "prefetch" : intent);

  if (reader.kind !== "user") {
    const decision = decide(readMeterCookie(request.cookies));
    return {
      decision,
      reader,
      settings,
      limit: settings.policy.anonymousLimit,
      cookieMeter: decision.reason === "counted" ? decision.meterAfter : null,
      gift,
    };
  }

  const result = { reader, settings, limit: settings.policy.registeredLimit, cookieMeter: null, gift };
  // Decide on the meter read with the session; only a read that spends a credit takes the lock
  // and decides again on the locked row (two tabs cannot both take the last credit).
  const decision = decide(serverMeter);
  if (decision.reason !== "counted") return { ...result, decision };
  return { ...result, decision: await decideWithUserMeter(await getDb(), reader.userId, decide) };
}

/** A crawler DNS proved (only when VERIFIED_CRAWLERS names it), or whoever the cookies prove. */
async function readerFor(request: NextRequest, now: Date): Promise<{ reader: Reader; serverMeter: MeterState | null }> {
  if (await isVerifiedCrawler(request.headers)) return { reader: { kind: "crawler", name: "google" }, serverMeter: null };
  return resolveReader(request.cookies, now);
}
