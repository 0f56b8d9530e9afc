import { NextResponse, type NextRequest } from "next/server";
import { METER_COOKIE, meterCookieOptions } from "@/lib/access/meter";
import { recordFunnelEvent } from "@/lib/analytics/funnel";
import { decideReading } from "@/lib/access/reading-decision";
import { listActivePlans, localeFrom } from "@/lib/billing/plans";
import { env } from "@/lib/env";
import { answerUnlessDatabaseDown } from "@/lib/http/database-unavailable";
import { getSignupFormMarkup } from "@/lib/newsletters/signup-form";
import { html } from "@/lib/ui/html";
import { notFoundDocument } from "@/lib/ui/error-pages";
import { getArticleMeta } from "./article-cache";
import { getArticleTemplate } from "./render/article-template";
import { cachedPaywallCard, meterLine } from "./render/paywall-card";
import { slugSchema } from "./slug";

const HTML_HEADERS = {
  "content-type": "text/html; charset=utf-8",
  // Per reader: never stored by a shared cache, and never reused for another reader.
  "cache-control": "private, no-store",
  vary: "Cookie",
};

/**
 * Answers an article request. `gate` is the proxy, the only place a meter credit is spent;
 * `page` is the route handler, reached only when the proxy did not answer, which decides again
 * and never counts. Either way the locked part is loaded only after this request's decision
 * said `full`, from verified inputs only.
 */
export function articleResponse(request: NextRequest, rawSlug: string, mode: "gate" | "page"): Promise<NextResponse> {
  // The proxy and the route handler both answer here: a database outage is a 503 page either way.
  return answerUnlessDatabaseDown(() => respond(request, rawSlug, mode));
}

async function respond(request: NextRequest, rawSlug: string, mode: "gate" | "page"): Promise<NextResponse> {
  const slug = slugSchema.safeParse(rawSlug);
  const meta = slug.success ? await getArticleMeta(slug.data) : null;
  if (!meta) return new NextResponse(notFoundDocument(), { status: 404, headers: HTML_HEADERS });

  const { decision, reader, settings, limit, meterCookie } = await decideReading(request, meta, mode);
  const template = await getArticleTemplate(meta, meta.leadInBlocks ?? settings.defaultLeadInBlocks, decision.level);
  const path = `/articles/${meta.slug}`;
  let slot = "";
  if (decision.level === "preview") {
    slot = cachedPaywallCard({
      articlePath: path,
      reason: decision.reason === "subscribers-only" || decision.reason === "meter-exhausted" ? decision.reason : "other",
      heading: settings.paywallHeading,
      body: settings.paywallBody,
      plans: await listActivePlans(),
      locale: localeFrom(request.headers.get("accept-language")),
      remaining: decision.remaining,
      limit,
      // The registration wall: an anonymous reader over the meter may register for a larger one.
      registerFor:
        reader.kind === "anonymous" && decision.reason === "meter-exhausted"
          ? Math.max(0, settings.policy.registeredLimit - settings.policy.anonymousLimit)
          : 0,
      signedIn: reader.kind === "user",
    });
  } else if (decision.reason === "counted" || decision.reason === "already-counted") {
    slot = html`<p class="meter-note" data-meter-remaining="${decision.remaining}">${meterLine(decision.remaining)} <a href="/subscribe?return=${encodeURIComponent(path)}">Subscribe for unlimited access</a></p>`.value;
  }

  if (mode === "gate" && decision.reason !== "prefetch") {
    const who = { articleId: meta.id, userId: reader.kind === "user" ? reader.userId : undefined };
    recordFunnelEvent("article_view", who);
    if (decision.level === "preview") recordFunnelEvent("paywall_shown", who);
  }

  // "Sign up now" before "Subscribe now"; the form's markup is cached (no query per request).
  const body = request.method === "HEAD" ? null : template.before + (await getSignupFormMarkup()) + slot + template.after;
  const response = new NextResponse(body, { status: 200, headers: HTML_HEADERS });
  if (meterCookie) {
    response.cookies.set(METER_COOKIE, meterCookie, meterCookieOptions(settings.policy.windowDays, env().NODE_ENV === "production"));
  }
  return response;
}
