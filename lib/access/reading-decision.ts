import type { NextRequest } from "next/server";
import { getDb } from "@/db/client";
import type { ArticleAccessLevel } from "@/db/schema";
import { keyFor } from "@/lib/server-secret";
import { getReadingSettings, type ReadingSettings } from "@/lib/settings";
import { isBackgroundRequest } from "./background-request";
import { decideAccess, type AccessDecision, type AccessInput } from "./decide-access";
import { encodeMeter } from "./meter";
import { readMeterCookie } from "./reader-meter";
import type { Reader } from "./reader";
import { resolveReader } from "./resolve-reader";
import { decideWithUserMeter, loadUserMeter } from "./user-meter";

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
  const [settings, reader] = await Promise.all([getReadingSettings(), resolveReader(request.cookies, now)]);
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
  // Free articles and entitled readers need no meter; only a real read of a metered article spends it.
  const first = decide(null);
  if (first.reason === "free" || first.reason === "entitled") return { ...result, decision: first };
  const db = await getDb();
  const decision =
    intent === "read" && article.access === "metered"
      ? await decideWithUserMeter(db, reader.userId, decide)
      : decide(await loadUserMeter(db, reader.userId));
  return { ...result, decision };
}
