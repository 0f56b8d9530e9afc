import type { NextRequest } from "next/server";
import { getDb } from "@/db/client";
import type { ArticleAccessLevel } from "@/db/schema";
import { keyFor } from "@/lib/server-secret";
import { getReadingSettings, type ReadingSettings } from "@/lib/settings";
import { isBackgroundRequest } from "./background-request";
import { decideAccess, type AccessDecision, type AccessInput } from "@/lib/access/decide-access";
import { encodeMeter } from "@/lib/access/meter";
import { readMeterCookie } from "@/lib/access/meter-cookie";
import type { Reader } from "@/lib/access/reader";
import { resolveReader } from "@/lib/access/resolve-reader";
import { decideWithUserMeter } from "@/lib/access/user-meter";

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
  const [settings, { reader, serverMeter }] = await Promise.all([getReadingSettings(), resolveReader(request.cookies, now)]);
  const intent: AccessInput["intent"] = isBackgroundRequest(request.headers) ? "prefetch" : mode === "gate" ? "read" : "recheck";
  const decide = (meter: AccessInput["meter"]) => decideAccess({ reader, article, meter, now, policy: settings.policy, intent });

  if (reader.kind === "anonymous") {
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
