import { NextResponse, type NextRequest } from "next/server";
import { getArticleMeta } from "@/lib/content/article-cache";
import { env } from "@/lib/env";
import { keyFor } from "@/lib/server-secret";
import { getReadingSettings } from "@/lib/settings";
import { decideAccess } from "./decide-access";
import { encodeMeter, METER_COOKIE, meterCookieOptions } from "./meter";
import { isBackgroundRequest } from "./background-request";
import { readMeterCookie } from "./reader-meter";
import { resolveReader } from "./resolve-reader";

/**
 * The proxy's part of the reading path: spend a meter credit when this read unlocks a new
 * metered article, and hand the updated, signed meter to the page, which decides again.
 * It never renders or sends article text itself.
 */
export async function meterArticleRequest(request: NextRequest, slug: string): Promise<NextResponse> {
  if (request.method !== "GET" || isBackgroundRequest(request.headers)) return NextResponse.next();
  const meta = await getArticleMeta(slug);
  if (!meta || meta.access !== "metered") return NextResponse.next();

  const [settings, reader] = await Promise.all([getReadingSettings(), resolveReader(request.cookies)]);
  if (reader.kind !== "anonymous") return NextResponse.next();
  const decision = decideAccess({
    reader,
    article: meta,
    meter: readMeterCookie(request.cookies),
    now: new Date(),
    policy: settings.policy,
    intent: "read",
  });
  if (decision.reason !== "counted") return NextResponse.next();

  const value = encodeMeter(decision.meterAfter, keyFor("meter"));
  // The page sees the meter that includes this article, so its own decision agrees.
  request.cookies.set(METER_COOKIE, value);
  const response = NextResponse.next({ request: { headers: request.headers } });
  response.cookies.set(
    METER_COOKIE,
    value,
    meterCookieOptions(settings.policy.windowDays, env().NODE_ENV === "production"),
  );
  return response;
}
