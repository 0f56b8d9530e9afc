/**
 * Attribution of each conversion on a real database, through the real routes: a read sets the
 * signed attribution cookie; a checkout started with it (and the subscription Stripe's webhook
 * settles) is credited to that article and source; a registration and a newsletter sign-up
 * (carried through the signed confirmation link) too. An edited cookie credits nothing.
 */
import { and, eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { conversions, newsletters, plans, users } from "@/db/schema";
import { messageLinks, waitForMessage } from "@/lib/mail/mailbox";
import { mainFixture } from "../support/fixtures";
import { billingAppForSuite } from "./support/billing-app";
import { engines } from "./support/databases";
import { giftArticle, planWithAllowance, subscriberOn } from "./support/gift-fixtures";
import { mailSinkForSuite } from "./support/mail-sink";
import { createLiveOffer, offerInput } from "./support/offer-fixtures";

// Auth.js's events read the request's cookies through next/headers: this jar is the browser's.
const jar = vi.hoisted(() => new Map<string, string>());
vi.mock("next/headers", () => ({
  cookies: async () => ({ get: (name: string) => (jar.has(name) ? { name, value: jar.get(name)! } : undefined), getAll: () => [...jar].map(([name, value]) => ({ name, value })) }),
  headers: async () => new Headers(),
}));

const SITE = "http://ledger.test";
const CARD = "4242424242424242";

describe.each(engines)("attribution on %s", (engine) => {
  const admin = { id: "attribution-admin", email: "admin@ledger.test" };
  const { mailbox } = mailSinkForSuite("attribution");
  const app = billingAppForSuite(engine, { key: "sk_test_attribution", secret: "whsec_attribution_0123456789abcdef0123456789ab", admin });
  const db = () => app.db();

  let lockedSlug: string;
  let lockedId: number;
  let otherId: number;
  beforeAll(async () => {
    const { importPlainTextArticle } = await import("@/lib/content/import-article");
    ({ slug: lockedSlug, id: lockedId } = await importPlainTextArticle(await db(), mainFixture.text, { slug: "attributed-story", access: "subscribers" }));
    ({ id: otherId } = await importPlainTextArticle(await db(), mainFixture.text, { slug: "other-story", access: "subscribers" }));
  });

  /** Reads an article as the proxy answers it; returns the attribution cookie it set (or the one sent, when unchanged). */
  async function read(slug: string, headers: Record<string, string> = {}, query = ""): Promise<string | undefined> {
    const { articleResponse } = await import("@/lib/reading/article-response");
    const { ATTRIBUTION_COOKIE } = await import("@/lib/analytics/attribution-cookie");
    const response = await articleResponse(new NextRequest(`${SITE}/articles/${slug}${query}`, { headers }), slug, "read");
    expect(response.status).toBe(200);
    return response.cookies.get(ATTRIBUTION_COOKIE)?.value;
  }
  const cookieHeader = (value: string) => `mh_src=${value}`;

  async function startCheckout(cookie: string | null, fields: Record<string, string> = {}): Promise<string> {
    const { POST } = await import("@/app/subscribe/checkout/route");
    const [monthly] = await (await db()).select().from(plans).where(eq(plans.name, "Monthly"));
    const body = new URLSearchParams({ plan: String(monthly!.id), return: `/articles/${lockedSlug}`, ...fields });
    const response = await POST(
      new NextRequest(`${SITE}/subscribe/checkout`, {
        method: "POST",
        body,
        headers: { "content-type": "application/x-www-form-urlencoded", ...(cookie ? { cookie: cookieHeader(cookie) } : {}) },
      }),
    );
    expect(response.status).toBe(303);
    const url = response.headers.get("location")!;
    expect(url).toContain("/c/pay/cs_");
    return url;
  }
  const rowsFor = async (event: (typeof conversions.$inferSelect)["event"]) => (await db()).select().from(conversions).where(eq(conversions.event, event));
  const sessionOf = (url: string) => new URL(url).pathname.split("/").filter(Boolean).at(-1)!;

  it("a read from a social post with UTM tags is credited, through checkout, to that article and source, and the subscription once", async () => {
    const cookie = await read(lockedSlug, { referer: "https://www.facebook.com/some/post" }, "?utm_source=fb&utm_medium=social&utm_campaign=spring");
    expect(cookie).toBeDefined();
    // A click inside our site keeps the arrival's source and moves the article on: no rewrite when nothing changed.
    expect(await read(lockedSlug, { referer: `${SITE}/`, cookie: cookieHeader(cookie!) })).toBeUndefined();
    const url = await startCheckout(cookie!);
    const [started] = await rowsFor("checkout_started");
    expect(started).toMatchObject({
      articleId: lockedId,
      entry: "paywall_card",
      sourceClass: "social",
      referrerHost: "www.facebook.com",
      utmSource: "fb",
      utmMedium: "social",
      utmCampaign: "spring",
      offerCode: null,
      userId: null,
    });
    expect(started!.checkoutSessionId).toBe(sessionOf(url));

    expect((await app.pay(url, CARD, "social-buyer@ledger.test")).status).toBe(303);
    await app.settle();
    // The return page settles the same checkout again: still one subscription credited.
    const { GET } = await import("@/app/subscribe/return/route");
    await GET(new NextRequest(`${SITE}/subscribe/return?session_id=${started!.checkoutSessionId}`));
    await app.settle();
    const subscribed = await rowsFor("subscribed");
    expect(subscribed).toHaveLength(1);
    const [buyer] = await (await db()).select().from(users).where(eq(users.email, "social-buyer@ledger.test"));
    expect(subscribed[0]).toMatchObject({ articleId: lockedId, entry: "paywall_card", sourceClass: "social", utmCampaign: "spring", userId: buyer!.id, checkoutSessionId: started!.checkoutSessionId });
  });

  it("an edited cookie credits no article: the checkout is direct, and the offer card names its code", async () => {
    const cookie = (await read(lockedSlug, { referer: "https://www.google.com/" }))!;
    const [payload, signature] = cookie.split(".");
    const forged = JSON.parse(Buffer.from(payload!, "base64url").toString("utf8")) as { a: number };
    forged.a = otherId;
    const url = await startCheckout(`${Buffer.from(JSON.stringify(forged)).toString("base64url")}.${signature}`);
    const [forgedRow] = (await rowsFor("checkout_started")).filter((r) => r.checkoutSessionId === sessionOf(url));
    expect(forgedRow).toMatchObject({ articleId: null, sourceClass: "direct", entry: null });

    const [monthly] = await (await db()).select().from(plans).where(eq(plans.name, "Monthly"));
    const offer = await createLiveOffer(await db(), admin, offerInput({ code: "SPRING10", kind: "percent", percentOff: 10, planIds: [monthly!.id] }));
    const offerUrl = await startCheckout(cookie, { offer: offer.code.toLowerCase() });
    const [offerRow] = (await rowsFor("checkout_started")).filter((r) => r.checkoutSessionId === sessionOf(offerUrl));
    expect(offerRow).toMatchObject({ articleId: lockedId, sourceClass: "search", referrerHost: "www.google.com", entry: "offer_card", offerCode: "SPRING10" });
  });

  it("a registration is credited to the registering browser's article and source", async () => {
    const cookie = (await read(lockedSlug, { referer: "https://news.google.com/stories/x" }))!;
    jar.set("mh_src", cookie);
    try {
      const { authConfig } = await import("@/lib/auth/auth");
      const [user] = await (await db()).insert(users).values({ email: "registered@ledger.test", emailVerified: new Date() }).returning();
      await (await authConfig()).events!.createUser!({ user: { id: user!.id, email: user!.email } });
      const [row] = await (await db()).select().from(conversions).where(and(eq(conversions.event, "registered"), eq(conversions.userId, user!.id)));
      expect(row).toMatchObject({ articleId: lockedId, sourceClass: "aggregator", referrerHost: "news.google.com", entry: "paywall_card" });
    } finally {
      jar.clear();
    }
  });

  it("a newsletter sign-up carries its touch in the signed confirmation link and is credited once, when confirmed", async () => {
    const cookie = (await read(lockedSlug, {}, "?utm_source=newsletter&utm_medium=email&utm_campaign=monday"))!;
    const [briefing] = await (await db()).select().from(newsletters).where(eq(newsletters.name, "The Morning Briefing"));
    const signup = await import("@/app/newsletters/signup/route");
    const body = new URLSearchParams({ newsletter: String(briefing!.id), website: "", email: "letters@ledger.test" });
    const res = await signup.POST(new NextRequest(`${SITE}/newsletters/signup`, { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieHeader(cookie) } }));
    expect(res.status).toBe(303);
    const mail = await waitForMessage(mailbox, { to: "letters@ledger.test", timeoutMs: 10_000 });
    const link = messageLinks(mail).find((l) => l.includes("/newsletters/confirm/"))!;
    const token = new URL(link).pathname.split("/").at(-1)!;
    const confirm = await import("@/app/newsletters/confirm/[token]/route");
    // Confirmed from another device (no cookie there); twice: one sign-up.
    for (let i = 0; i < 2; i++) expect((await confirm.POST(new NextRequest(link, { method: "POST" }), { params: Promise.resolve({ token }) })).status).toBe(200);
    const rows = await rowsFor("newsletter_signup");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ articleId: lockedId, entry: "newsletter_box", sourceClass: "newsletter", utmCampaign: "monday" });
  });

  it("a gift link's recipient is credited to the gift link, not to direct, whatever referred them", async () => {
    const { issueGift } = await import("@/lib/gifts/issue-gift");
    const { GIFT_COOKIE } = await import("@/lib/gifts/gift-cookie");
    const { articleResponse } = await import("@/lib/reading/article-response");
    const { ATTRIBUTION_COOKIE } = await import("@/lib/analytics/attribution-cookie");
    const story = await giftArticle(await db(), "gifted-story", "subscribers");
    const gifter = await subscriberOn(await db(), "gifter@ledger.test", await planWithAllowance(await db(), "Gifting", 5));
    const issued = await issueGift(await db(), { userId: gifter.id, articleId: story.id, senderName: "Maria", now: new Date(), timeZone: "UTC", validDays: 14 });
    if (!issued.ok) throw new Error(issued.reason);
    // The link answers with a redirect to the clean address and the gift cookie; the browser comes back with it from a social site.
    const link = await articleResponse(new NextRequest(`${SITE}/articles/${story.slug}?gift=${issued.token}`, { headers: { referer: "https://t.co/x" } }), story.slug, "read");
    expect(link.status).toBe(303);
    const gift = link.cookies.get(GIFT_COOKIE)!.value;
    const page = await articleResponse(new NextRequest(`${SITE}/articles/${story.slug}`, { headers: { referer: "https://t.co/x", cookie: `${GIFT_COOKIE}=${gift}` } }), story.slug, "read");
    expect(await page.text()).toContain('data-access="full"');
    const touch = page.cookies.get(ATTRIBUTION_COOKIE)!.value;
    const url = await startCheckout(touch);
    const [row] = (await rowsFor("checkout_started")).filter((r) => r.checkoutSessionId === sessionOf(url));
    expect(row).toMatchObject({ articleId: story.id, entry: "gift_link", sourceClass: "gift", referrerHost: "t.co" });
  });

  it("the admin report ranks the article by subscriptions and by source, and the CSV lists each conversion", async () => {
    const { loadAttribution } = await import("@/lib/admin/attribution/queries");
    await (await import("@/lib/analytics/funnel")).flushFunnelEvents();
    const report = await loadAttribution(await db(), { days: 30 });
    // Five paywalls shown on the article, to four browsers (the first one read it twice): 1 subscription of 4 readers.
    expect(report.bySubscriptions[0]).toMatchObject({ articleId: lockedId, subscriptions: 1, slug: lockedSlug, paywallReaders: 4, conversion: 25 });
    expect(report.bySourceClass.find((r) => r.sourceClass === "social")).toMatchObject({ subscriptions: 1, checkouts: 1 });
    const socialOnly = await loadAttribution(await db(), { days: 30, source: "search" });
    expect(socialOnly.bySubscriptions).toEqual([]);
    const { attributionCsvStream } = await import("@/lib/admin/attribution/queries");
    const csv = await new Response(attributionCsvStream(await db(), { days: 30, source: "social" })).text();
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toBe("at,event,article_slug,article_title,entry,source_class,referrer_host,utm_source,utm_medium,utm_campaign,utm_term,utm_content,offer_code");
    expect(lines.slice(1).map((l) => l.split(",")[1]).sort()).toEqual(["checkout_started", "subscribed"]);
  });
});
