import { NextResponse, type NextRequest } from "next/server";
import type { RequestIntent } from "@/lib/access/decide-access";
import type { Reader } from "@/lib/access/reader";
import { writeMeterCookie } from "@/lib/access/meter-cookie";
import { recordFunnelEvent } from "@/lib/analytics/funnel";
import { getDb } from "@/db/client";
import { trialUsedOnPlans } from "@/lib/billing/eligibility";
import { listActivePlans, localeFrom } from "@/lib/billing/plans";
import { getFeaturedOffer } from "@/lib/offers/featured-offer";
import { getArticleMeta } from "@/lib/content/article-cache";
import { getArticleTemplate } from "@/lib/content/render/article-template";
import { slugSchema } from "@/lib/content/slug";
import { giftRequestFrom } from "@/lib/gifts/gift-reading";
import { applyGiftCookie, giftRedirect, giftSlot } from "@/lib/gifts/gift-response";
import { answerUnlessDatabaseDown } from "@/lib/http/database-unavailable";
import { getSignupFormMarkup } from "@/lib/newsletters/signup-form";
import { notFoundDocument } from "@/lib/ui/error-pages";
import { secureCookies } from "@/lib/http/cookies";
import { html } from "@/lib/ui/html";
import { READER_HINT_COOKIE, READER_HINT_OPTIONS, siteNav, type HeaderState } from "@/lib/ui/site-chrome";
import { checkoutReceipt, receiptBanner, RECEIPT_COOKIE, type Receipt } from "@/lib/billing/receipt";
import { cachedPaywallCard, meterLine } from "./paywall-card";
import { decideReading } from "./reading-decision";
import { keepTouch } from "./reader-touch";
import { orderPlans } from "@/lib/experiments/live-variant";
import { recordExperimentEvent } from "@/lib/experiments/experiment-events";
import { writeReaderId } from "@/lib/experiments/reader-key";
import { nextVisit } from "@/lib/access/visit";
import { writeVisitCookie } from "@/lib/access/visit-cookie";

const HTML_HEADERS = {
  "content-type": "text/html; charset=utf-8",
  // Per reader: never stored by a shared cache, and never reused for another reader.
  "cache-control": "private, no-store",
  vary: "Cookie",
};

/**
 * Answers an article request. `read` is the proxy's intent, the only place a meter credit is
 * spent; `recheck` is the route handler's, reached only when the proxy did not answer, which
 * decides again and never counts. Either way the locked part is loaded only after this
 * request's decision said `full`, from verified inputs only.
 */
export function articleResponse(request: NextRequest, rawSlug: string, intent: RequestIntent): Promise<NextResponse> {
  // The proxy and the route handler both answer here: a database outage is a 503 page either way.
  return answerUnlessDatabaseDown(() => respond(request, rawSlug, intent));
}

async function respond(request: NextRequest, rawSlug: string, intent: RequestIntent): Promise<NextResponse> {
  const slug = slugSchema.safeParse(rawSlug);
  const meta = slug.success ? await getArticleMeta(slug.data) : null;
  if (!meta) return new NextResponse(notFoundDocument(), { status: 404, headers: HTML_HEADERS });

  const giftRequest = giftRequestFrom(request, meta.id);
  const { decision, reader, settings, variants, visit, newReaderId, limit, cookieMeter, gift } = await decideReading(request, meta, intent, giftRequest);
  const redirect = intent === "read" ? giftRedirect(giftRequest, gift, decision.reason, meta.slug) : null;
  if (redirect) return redirect;
  const template = await getArticleTemplate(meta, meta.leadInBlocks ?? settings.defaultLeadInBlocks, decision.level);
  const path = `/articles/${meta.slug}`;
  let slot = "";
  if (decision.level === "preview") {
    // A variant's order is a new array: the card's cache is per plan list, so it is keyed apart below.
    const plans = orderPlans(await listActivePlans(), settings.planOrder, settings.defaultPlanId);
    // Only a signed-in reader's history can rule a trial out: the anonymous path asks nothing more.
    // From the reader's cached rows, like the entitlement: the paywall asks no query.
    const trialUsedOn = reader.kind === "user" ? trialUsedOnPlans(plans, reader.trialedPlanIds ?? []) : [];
    slot = cachedPaywallCard({
      articlePath: path,
      reason: decision.reason === "subscribers-only" || decision.reason === "meter-exhausted" ? decision.reason : "other",
      heading: settings.paywallHeading,
      body: settings.paywallBody,
      button: settings.paywallButton,
      defaultPlanId: settings.defaultPlanId,
      plans,
      locale: localeFrom(request.headers.get("accept-language")),
      remaining: decision.remaining,
      limit,
      windowDays: settings.policy.windowDays,
      // The registration wall: an anonymous reader over the meter may register for a larger one.
      // A segment rule may turn it off (false), or make it the only way in for anonymous readers (true: no free articles).
      registerFor:
        reader.kind === "anonymous" && decision.reason === "meter-exhausted" && settings.registrationWall !== false
          ? Math.max(0, settings.policy.registeredLimit - settings.policy.anonymousLimit)
          : 0,
      signedIn: reader.kind === "user",
      subscribed: reader.kind === "user" && reader.subscribed === true,
      offer: settings.offers.featuredOfferId === null ? null : await getFeaturedOffer(settings.offers.featuredOfferId),
      paused: reader.kind === "user" ? (reader.paused ?? null) : null,
      familyEnded: reader.kind === "user" && reader.familyEnded === true,
      today: new Date().toISOString().slice(0, 10),
      trialUsedOn,
    });
  } else if (decision.reason === "counted" || decision.reason === "already-counted") {
    slot = html`<p class="meter-note" data-meter-remaining="${decision.remaining}">${meterLine(decision.remaining, settings.policy.windowDays)} <a href="/subscribe?return=${encodeURIComponent(path)}">Subscribe for unlimited access</a></p>`.value;
  }

  // A verified crawler is not a reader: its visits stay out of the funnel.
  const counted = intent === "read" && decision.reason !== "prefetch" && reader.kind !== "crawler";
  const who = { articleId: meta.id, userId: reader.kind === "user" ? reader.userId : undefined };
  if (counted) {
    recordFunnelEvent("article_view", who);
    if (decision.level === "preview") recordFunnelEvent("paywall_shown", who);
    if (decision.level === "preview") for (const v of variants) recordExperimentEvent("paywall_view", v.variantId);
  }

  // A gift's banner greets the recipient at the top; a subscriber's gift form follows the story.
  const giftMarkup = giftSlot(decision.reason, gift, meta.slug);
  const giftAtTop = decision.reason === "gift" ? giftMarkup : "";
  if (!giftAtTop) slot = giftMarkup + slot;
  // The paywall straight after the lead-in, the newsletter sign-up after it: a reader stopped
  // mid-story meets (and tabs to) the way on first. The form's markup is cached (no query per request).
  const signup = await getSignupFormMarkup();
  const ending = decision.level === "preview" ? slot + signup : signup + slot;
  const body = request.method === "HEAD" ? null : template.before + ending + template.after;
  const receipt = intent === "read" ? await receiptFor(request, reader) : null;
  const atTop = (receipt ? receiptBanner(receipt).value : "") + giftAtTop;
  // This response knows the reader: its header says so, and the hint other pages read is kept true.
  const header = headerStateOf(reader);
  const page = body && header !== "anonymous" ? body.replace(siteNav("anonymous").value, () => siteNav(header).value) : body;
  const response = new NextResponse(page && atTop ? atTopOfMain(page, atTop) : page, { status: 200, headers: HTML_HEADERS });
  if (intent === "read") keepReaderHint(request, response, header);
  if (intent === "read" && request.cookies.has(RECEIPT_COOKIE)) response.cookies.delete(RECEIPT_COOKIE);
  applyGiftCookie(response, gift, meta.slug);
  if (cookieMeter) writeMeterCookie(response.cookies, cookieMeter, settings.policy.windowDays);
  // What this read showed, kept for the visit: later reads in it get no lower limit or shorter lead-in.
  if (visit && counted) {
    const shown = { anonymousLimit: settings.policy.anonymousLimit, registeredLimit: settings.policy.registeredLimit, leadInBlocks: settings.defaultLeadInBlocks };
    const next = nextVisit(visit.kept, shown, Math.floor(Date.now() / 1000));
    if (next !== visit.kept) writeVisitCookie(response.cookies, next);
  }
  // A new browser in a running experiment keeps its id (and so its variants) from now on.
  if (newReaderId && counted) writeReaderId(response.cookies, newReaderId);
  // What a conversion from this page is credited to (a crawler or a prefetch is nobody's arrival).
  if (counted) {
    const read = { articleId: meta.id, paywall: decision.level === "preview", openedByGift: decision.reason === "gift", variantIds: variants.map((v) => v.variantId) };
    const kept = keepTouch(request, response, read, new Date());
    if (kept.firstPaywall) recordFunnelEvent("paywall_reader", who);
    // A browser's first sight of a variant makes it one of the variant's readers.
    for (const id of kept.newVariants) recordExperimentEvent("reader", id);
  }
  return response;
}

/** The receipt of the checkout this reader just came back from, when the cookie names one of theirs. */
async function receiptFor(request: NextRequest, reader: Reader): Promise<Receipt | null> {
  const checkout = request.cookies.get(RECEIPT_COOKIE)?.value;
  if (!checkout || reader.kind !== "user") return null;
  try {
    return await checkoutReceipt(await getDb(), checkout, reader.userId);
  } catch (error) {
    // The article stands without its receipt: the account page has the same facts.
    console.error("The checkout receipt could not be shown:", error);
    return null;
  }
}

function headerStateOf(reader: Reader): HeaderState {
  if (reader.kind !== "user") return "anonymous";
  return reader.entitlement ? "subscriber" : "reader";
}

function keepReaderHint(request: NextRequest, response: NextResponse, header: HeaderState): void {
  const hinted = request.cookies.get(READER_HINT_COOKIE)?.value;
  if (header === "subscriber" && hinted !== "subscriber") response.cookies.set(READER_HINT_COOKIE, "subscriber", { ...READER_HINT_OPTIONS, secure: secureCookies() });
  else if (header !== "subscriber" && hinted !== undefined) response.cookies.delete(READER_HINT_COOKIE);
}

const MAIN_OPENING = '<main id="main" tabindex="-1">';

/** Our own markup at the top of the main content, where it is read first. */
function atTopOfMain(body: string, markup: string): string {
  return body.replace(MAIN_OPENING, () => `${MAIN_OPENING}\n${markup}`);
}
