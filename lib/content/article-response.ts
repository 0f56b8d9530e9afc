import type { NextRequest } from "next/server";
import { decideAccess } from "@/lib/access/decide-access";
import { isBackgroundRequest } from "@/lib/access/background-request";
import { readMeterCookie } from "@/lib/access/reader-meter";
import { resolveReader } from "@/lib/access/resolve-reader";
import { listActivePlans, localeFrom } from "@/lib/billing/plans";
import { env } from "@/lib/env";
import { getReadingSettings } from "@/lib/settings";
import { html } from "@/lib/ui/html";
import { notFoundDocument } from "@/lib/ui/error-pages";
import { getArticleMeta, getLeadIn, getLockedPart } from "./article-cache";
import { articleHead } from "./render/article-head";
import { articleDocument } from "./render/article-document";
import { meterLine, paywallCard } from "./render/paywall-card";
import { slugSchema } from "./slug";

const HTML_HEADERS = {
  "content-type": "text/html; charset=utf-8",
  // Per reader: never stored by a shared cache, and never reused for another reader.
  "cache-control": "private, no-store",
  vary: "Cookie",
};

/**
 * The article page. Decides again from verified inputs only (the proxy may have been skipped),
 * and loads the locked part only once that decision says `full`.
 */
export async function articleResponse(request: NextRequest, rawSlug: string): Promise<Response> {
  const slug = slugSchema.safeParse(rawSlug);
  const meta = slug.success ? await getArticleMeta(slug.data) : null;
  if (!meta) return new Response(notFoundDocument(), { status: 404, headers: HTML_HEADERS });

  const [settings, reader] = await Promise.all([getReadingSettings(), resolveReader(request.cookies)]);
  const now = new Date();
  const decision = decideAccess({
    reader,
    article: meta,
    meter: readMeterCookie(request.cookies),
    now,
    policy: settings.policy,
    intent: isBackgroundRequest(request.headers) ? "prefetch" : "recheck",
  });

  const leadInCount = meta.leadInBlocks ?? settings.defaultLeadInBlocks;
  const full = decision.level === "full";
  const [leadIn, locked] = await Promise.all([
    getLeadIn(meta, leadInCount),
    full ? getLockedPart(meta, leadInCount) : Promise.resolve(null),
  ]);

  const { SITE_URL, SITE_NAME } = env();
  const path = `/articles/${meta.slug}`;
  const limit = reader.kind === "anonymous" ? settings.policy.anonymousLimit : settings.policy.registeredLimit;
  let after = null;
  if (!full) {
    after = paywallCard({
      articlePath: path,
      reason:
        decision.reason === "subscribers-only" || decision.reason === "meter-exhausted" ? decision.reason : "other",
      heading: settings.paywallHeading,
      body: settings.paywallBody,
      plans: await listActivePlans(),
      locale: localeFrom(request.headers.get("accept-language")),
      remaining: decision.remaining,
      limit,
    });
  } else if (decision.reason === "counted" || decision.reason === "already-counted") {
    after = html`<p class="meter-note" data-meter-remaining="${decision.remaining}">${meterLine(decision.remaining)} <a href="/subscribe?return=${encodeURIComponent(path)}">Subscribe for unlimited access</a></p>`;
  }

  const body = articleDocument({
    meta,
    head: articleHead(meta, new URL(path, SITE_URL).toString(), SITE_URL, SITE_NAME),
    siteName: SITE_NAME,
    leadIn,
    locked,
    after,
  });
  return new Response(request.method === "HEAD" ? null : body, { status: 200, headers: HTML_HEADERS });
}
