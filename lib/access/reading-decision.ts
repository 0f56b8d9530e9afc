import type { NextRequest } from "next/server";
import { getDb } from "@/db/client";
import type { ArticleAccessLevel } from "@/db/schema";
import { keyFor } from "@/lib/server-secret";
import { getReadingSettings, type ReadingSettings } from "@/lib/settings";
import { isBackgroundRequest } from "./background-request";
import { isVerifiedCrawler } from "@/lib/crawlers/verified-crawler";
import { decideAccess, type AccessDecision, type AccessInput } from "./decide-access";
import { encodeMeter, type MeterState } from "./meter";
import { readMeterCookie } from "./reader-meter";
import type { Reader } from "./reader";
import { resolveReader } from "./resolve-reader";
import { decideWithUserMeter } from "./user-meter";

export interface ReadingDecision {
  decision: AccessDecision;
  reader: Reader;
  settings: ReadingSettings;
  /** The meter this reader may open per window. */
  limit: number;
  /** A new signed meter cookie for an anonymous reader whose read was counted. */
  meterCookie: string | null;
}

/**
 * Gathers the decision's inputs for one request (reader, meter, settings), decides, and
 * records what the decision spent: in the signed cookie for an anonymous reader, in the
 * database for a registered one. Only `gate` mode can spend.
 */
export async function decideReading(
  request: NextRequest,
  article: { id: number; access: ArticleAccessLevel },
  mode: "gate" | "page",
): Promise<ReadingDecision> {
  const now = new Date();
  const [settings, { reader, serverMeter }] = await Promise.all([getReadingSettings(), readerFor(request, now)]);
  const intent: AccessInput["intent"] = isBackgroundRequest(request.headers) ? "prefetch" : mode === "gate" ? "read" : "recheck";
  const decide = (meter: AccessInput["meter"]) => decideAccess({ reader, article, meter, now, policy: settings.policy, intent });

  if (reader.kind !== "user") {
    const decision = decide(readMeterCookie(request.cookies));
    return {
      decision,
      reader,
      settings,
      limit: settings.policy.anonymousLimit,
      meterCookie: decision.reason === "counted" ? encodeMeter(decision.meterAfter, keyFor("meter")) : null,
    };
  }

  const result = { reader, settings, limit: settings.policy.registeredLimit, meterCookie: null };
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
