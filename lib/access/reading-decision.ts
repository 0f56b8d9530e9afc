import type { NextRequest } from "next/server";
import { getDb } from "@/db/client";
import type { ArticleAccessLevel } from "@/db/schema";
import { keyFor } from "@/lib/server-secret";
import { checkGift, type GiftOutcome, type GiftRequest } from "@/lib/gifts/gift-reading";
import { getReadingSettings, type ReadingSettings } from "@/lib/settings";
import { isBackgroundRequest } from "./background-request";
import { decideAccess, type AccessDecision, type AccessInput } from "./decide-access";
import { encodeMeter } from "./meter";
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
  /** What a gift link or cookie came to; null when the request carried none. */
  gift: GiftOutcome | null;
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
  giftRequest: GiftRequest | null = null,
): Promise<ReadingDecision> {
  const now = new Date();
  const [settings, { reader, serverMeter }] = await Promise.all([getReadingSettings(), resolveReader(request.cookies, now)]);
  const intent: AccessInput["intent"] = isBackgroundRequest(request.headers) ? "prefetch" : mode === "gate" ? "read" : "recheck";
  const decideWith = (meter: AccessInput["meter"], verified: AccessInput["gift"]) =>
    decideAccess({ reader, article, meter, now, policy: settings.policy, intent, gift: verified });
  // The gift is checked (one query) only when the request carries one and it could matter.
  const fullAnyway = ["free", "entitled"].includes(decideWith(null, null).reason);
  const gift = await checkGift(giftRequest, { reader, fullAnyway, article, intent, settings: settings.gift, now });
  const decide = (meter: AccessInput["meter"]) => decideWith(meter, gift?.check?.verified);

  if (reader.kind === "anonymous") {
    const decision = decide(readMeterCookie(request.cookies));
    return {
      decision,
      reader,
      settings,
      limit: settings.policy.anonymousLimit,
      meterCookie: decision.reason === "counted" ? encodeMeter(decision.meterAfter, keyFor("meter")) : null,
      gift,
    };
  }

  const result = { reader, settings, limit: settings.policy.registeredLimit, meterCookie: null, gift };
  // Decide on the meter read with the session; only a read that spends a credit takes the lock
  // and decides again on the locked row (two tabs cannot both take the last credit).
  const decision = decide(serverMeter);
  if (decision.reason !== "counted") return { ...result, decision };
  return { ...result, decision: await decideWithUserMeter(await getDb(), reader.userId, decide) };
}
