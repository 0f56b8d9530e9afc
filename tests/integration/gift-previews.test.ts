import { NextRequest } from "next/server";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Db } from "@/db/client";
import { GIFT_COOKIE } from "@/lib/gifts/gift-cookie";
import { hashGiftToken } from "@/lib/gifts/gift-token";
import { adminSession } from "./support/admin-harness";
import { type AppDatabase, engines, flushFunnelAndClose, openAppDatabase, queryRows } from "./support/databases";
import { giftArticle, LAST_LINE, planWithAllowance, subscriberOn } from "./support/gift-fixtures";

const SLACKBOT = "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)";
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36";
// Link previews that announce themselves: the second line of defence.
const UNFURLERS = [
  SLACKBOT,
  "WhatsApp/2.23.20.0 A",
  "facebookexternalhit/1.1 Facebot Twitterbot/1.0", // iMessage
  "Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5 skype-url-preview@microsoft.com", // Teams
  "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
  "TelegramBot (like TwitterBot)",
  "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
  "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
  "Twitterbot/1.0",
];

describe.each(engines)("gift links and link previews on %s", (engine) => {
  let t: AppDatabase;
  let db: Db;
  let plan: number;
  let locked: { id: number; slug: string };
  let metered: { id: number; slug: string };
  let other: { id: number; slug: string };
  let lib: {
    issue: typeof import("@/lib/gifts/issue-gift");
    pages: typeof import("@/lib/gifts/gift-pages");
    response: typeof import("@/lib/reading/article-response");
  };

  beforeAll(async () => {
    t = await openAppDatabase(engine, { SITE_TIME_ZONE: "Europe/Berlin" });
    db = t.db;
    locked = await giftArticle(db, "preview-locked", "subscribers");
    metered = await giftArticle(db, "preview-metered", "metered");
    other = await giftArticle(db, "preview-other", "subscribers");
    plan = await planWithAllowance(db, "Five gifts", 5);
    const admin = await adminSession(db, "editor@ledger.test");
    const { saveGiftSettings } = await import("@/lib/admin/gifts/commands");
    await saveGiftSettings(db, admin, { validDays: 14, browserLimit: 3 });
    const { getReadingSettings } = await import("@/lib/settings");
    await vi.waitFor(async () => expect((await getReadingSettings()).gift.browserLimit).toBe(3));
    lib = {
      issue: await import("@/lib/gifts/issue-gift"),
      pages: await import("@/lib/gifts/gift-pages"),
      response: await import("@/lib/reading/article-response"),
    };
  });
  afterAll(() => flushFunnelAndClose(t));

  const give = async (userId: string, articleId: number) => {
    const result = await lib.issue.issueGift(db, { userId, articleId, senderName: "Maria", now: new Date(), timeZone: "Europe/Berlin", validDays: 14 });
    if (!result.ok) throw new Error(`no gift: ${result.reason}`);
    return result;
  };
  const get = (path: string, userAgent: string, cookie?: string) => {
    const url = new URL(path, "http://localhost");
    const headers: Record<string, string> = { "user-agent": userAgent, ...(cookie ? { cookie: `${GIFT_COOKIE}=${cookie}` } : {}) };
    return lib.response.articleResponse(new NextRequest(url, { headers }), url.pathname.split("/")[2]!, "read");
  };
  /** A fetcher that follows the redirect; `keepsCookies` says whether it sends back the cookie it was given. */
  const fetchLink = async (slug: string, token: string, userAgent: string, keepsCookies: boolean) => {
    const link = await get(`/articles/${slug}?gift=${token}`, userAgent);
    const linkBody = await link.text();
    const cookie = link.cookies.get(GIFT_COOKIE)?.value;
    if (link.status !== 303) return { link, cookie, bodies: [linkBody] };
    const page = await get(`/articles/${slug}`, userAgent, keepsCookies ? cookie : undefined);
    return { link, cookie, bodies: [linkBody, await page.text()] };
  };
  const opened = async (token: string) =>
    (await queryRows<{ n: number }>(db, sql`select count(*)::int as n from gift_opens o join gifts g on g.id = o.gift_id where g.token_hash = ${hashGiftToken(token)} and o.admitted`))[0]!.n;

  it("fetchers that keep no cookies never spend a browser, never get locked text, and the recipient still reads", async () => {
    const gifter = await subscriberOn(db, "cookieless@readers.test", plan);
    const { token } = await give(gifter.id, locked.id);
    // An unfurler that does not announce itself (or one not on the list), fetching again and again.
    for (let i = 0; i < 5; i++) {
      const { bodies } = await fetchLink(locked.slug, token, "Mozilla/5.0 (compatible; SomePreviewer/1.0)", false);
      for (const body of bodies) expect(body).not.toContain(LAST_LINE);
    }
    expect(await opened(token)).toBe(0);
    // The real recipient: a browser that comes back with the cookie.
    const { bodies } = await fetchLink(locked.slug, token, BROWSER, true);
    expect(bodies.at(-1)).toContain(LAST_LINE);
    expect(await opened(token)).toBe(1);
  });

  it.each(UNFURLERS)("a known unfurler gets the public card (%s): no redirect, no cookie, no locked text, no browser spent", async (agent) => {
    const gifter = await subscriberOn(db, `unfurl-${UNFURLERS.indexOf(agent)}@readers.test`, plan);
    const { token } = await give(gifter.id, locked.id);
    const { link, cookie, bodies } = await fetchLink(locked.slug, token, agent, true);
    expect(link.status).toBe(200);
    expect(cookie).toBeUndefined();
    expect(bodies[0]).toContain(`<meta property="og:title" content="Story ${locked.slug}">`);
    expect(bodies[0]).not.toContain(LAST_LINE);
    expect(await opened(token)).toBe(0);
  });

  it("an unfurler that keeps cookies is not counted either, nor given the text with a recipient's cookie; nor a metered article's text", async () => {
    const gifter = await subscriberOn(db, "cookiekeeper@readers.test", plan);
    const { token } = await give(gifter.id, locked.id);
    const recipient = await fetchLink(locked.slug, token, BROWSER, true);
    expect(recipient.bodies.at(-1)).toContain(LAST_LINE);
    // A preview of the address bar, fetched with the recipient's cookie (a desktop app sharing the jar).
    expect(await (await get(`/articles/${locked.slug}`, SLACKBOT, recipient.cookie)).text()).not.toContain(LAST_LINE);
    expect(await opened(token)).toBe(1);
    // The clean address of a metered article: a preview is not a reader, so no meter opens it.
    expect(await (await get(`/articles/${metered.slug}`, SLACKBOT)).text()).not.toContain(LAST_LINE);
    expect(await (await get(`/articles/${metered.slug}`, BROWSER)).text()).toContain(LAST_LINE);
  });

  it("re-gifting shares the browser limit: per gifter, article and month, across all of that gifter's links, and the gift page says so", async () => {
    const gifter = await subscriberOn(db, "regifter@readers.test", plan);
    const first = await give(gifter.id, other.id);
    const page = await lib.pages.giftIssuedPage(first, { slug: other.slug, title: "Story" }, 3).text();
    expect(page).toContain("Up to 3 browsers in all may read this article through your links this month, however many links you make (none so far).");
    const browsers = await Promise.all(Array.from({ length: 2 }, () => fetchLink(other.slug, first.token, BROWSER, true)));
    for (const b of browsers) expect(b.bodies.at(-1)).toContain(LAST_LINE);

    const second = await give(gifter.id, other.id);
    expect(second).toMatchObject({ regift: true, browsersUsed: 2 });
    const again = await lib.pages.giftIssuedPage(second, { slug: other.slug, title: "Story" }, 3).text();
    expect(again).toContain("however many links you make (2 so far)");
    // A browser the first link let in reads by the second without taking a place.
    const known = await get(`/articles/${other.slug}?gift=${second.token}`, BROWSER, browsers[0]!.cookie);
    expect(await (await get(`/articles/${other.slug}`, BROWSER, known.cookies.get(GIFT_COOKIE)!.value)).text()).toContain(LAST_LINE);
    const third = await fetchLink(other.slug, second.token, BROWSER, true);
    expect(third.bodies.at(-1)).toContain(LAST_LINE);
    // The limit is reached across both links: a third link does not reset it.
    const link3 = await give(gifter.id, other.id);
    for (const token of [first.token, second.token, link3.token]) {
      const late = await fetchLink(other.slug, token, BROWSER, true);
      expect(late.bodies.at(-1)).not.toContain(LAST_LINE);
      expect(late.bodies.at(-1)).toContain("data-gift-used-up");
    }
  });
});
