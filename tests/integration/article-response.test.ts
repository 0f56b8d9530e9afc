import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeMeter, METER_COOKIE } from "@/lib/access/meter";
import { parsePlainTextArticle } from "@/lib/content/parse-plain-text";
import { escapeHtml } from "@/lib/ui/html";
import { articleFixtures, mainFixture } from "../support/fixtures";
import { type AppDatabase, engines, openAppDatabase } from "./support/databases";

const fixture = mainFixture.text;
const LAST = "expects to have cleared the backlog by the middle of next week";
const FIRST = "Cranes at the Kettle Point container terminal";

// The reading path end to end below HTTP: the gate (proxy) and the page (route handler) on a real database.
describe.each(engines)("article responses on %s", (engine) => {
  let t: AppDatabase;
  let slug: string;
  let articleId: number;
  let subscribersSlug: string;
  let articleResponse: typeof import("@/lib/reading/article-response").articleResponse;
  let key: Buffer;
  let trialPlan: { id: number } | undefined;

  beforeAll(async () => {
    t = await openAppDatabase(engine);
    const { importPlainTextArticle } = await import("@/lib/content/import-article");
    const db = t.db;
    const imported = await importPlainTextArticle(db, fixture, {});
    slug = imported.slug;
    articleId = imported.id;
    subscribersSlug = (await importPlainTextArticle(db, fixture, { slug: "locked-copy", access: "subscribers" })).slug;
    // A plan on sale with a trial, before the plan list is first read (and cached).
    const { plans } = await import("@/db/schema");
    [trialPlan] = await db.insert(plans).values({ name: "Yearly", amount: 8000, interval: "year", trialDays: 7 }).returning({ id: plans.id });
    ({ articleResponse } = await import("@/lib/reading/article-response"));
    key = (await import("@/lib/server-secret")).keyFor("meter");
  });
  afterAll(async () => {
    await t.close();
  });

  const request = (path: string, headers: Record<string, string> = {}) =>
    new NextRequest(new URL(path, "http://localhost"), { headers });
  const meterCookie = (ids: number[]) =>
    `${METER_COOKIE}=${encodeMeter({ windowStart: Math.floor(Date.now() / 1000), articleIds: ids }, key)}`;

  it("the gate counts a first read, answers in full and sets the signed meter", async () => {
    const response = await articleResponse(request(`/articles/${slug}`), slug, "read");
    const body = await response.text();
    expect(body).toContain('data-access="full"');
    expect(body).toContain(LAST);
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    const cookie = response.cookies.get(METER_COOKIE);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "lax", path: "/" });
  });

  it("the page never counts: without the gate a new reader gets the lead-in only", async () => {
    const body = await (await articleResponse(request(`/articles/${slug}`), slug, "recheck")).text();
    expect(body).toContain('data-access="preview"');
    expect(body).toContain(FIRST);
    expect(body).not.toContain(LAST);
  });

  it("the page serves in full what the signed meter already counted", async () => {
    const response = await articleResponse(request(`/articles/${slug}`, { cookie: meterCookie([articleId]) }), slug, "recheck");
    expect(await response.text()).toContain(LAST);
    expect(response.headers.get("set-cookie")).toBeNull();
  });

  it("a meter signed with another secret counts as none, and a spent meter shows the paywall", async () => {
    const { encodeMeter: encode } = await import("@/lib/access/meter");
    const foreign = `${METER_COOKIE}=${encode({ windowStart: Math.floor(Date.now() / 1000), articleIds: [articleId] }, Buffer.alloc(32, 1))}`;
    expect(await (await articleResponse(request(`/articles/${slug}`, { cookie: foreign }), slug, "recheck")).text()).not.toContain(LAST);
    const spent = await articleResponse(request(`/articles/${slug}`, { cookie: meterCookie([9001, 9002, 9003]) }), slug, "read");
    const body = await spent.text();
    expect(body).toContain("data-paywall");
    expect(body).toContain("Subscribe for unlimited access");
    expect(body).not.toContain(LAST);
    // The paywall comes straight after the lead-in, the newsletter box after it.
    expect(body.indexOf("data-newsletter-signup")).toBeGreaterThan(body.indexOf("data-paywall"));
    // Nothing counted: no meter cookie (only the attribution cookie, which names this article).
    expect(spent.cookies.get(METER_COOKIE)).toBeUndefined();
  });

  it("prefetches and router requests neither count nor get the locked part", async () => {
    const shapes: Record<string, string>[] = [{ "next-router-prefetch": "1" }, { "sec-purpose": "prefetch" }, { purpose: "prefetch" }, { rsc: "1" }];
    for (const headers of shapes) {
      const response = await articleResponse(request(`/articles/${slug}`, { ...headers, cookie: meterCookie([articleId]) }), slug, "read");
      expect(await response.text()).not.toContain(LAST);
      expect(response.headers.get("set-cookie")).toBeNull();
    }
  });

  it("subscriber-only articles are previews for every anonymous reader", async () => {
    const body = await (await articleResponse(request(`/articles/${subscribersSlug}`), subscribersSlug, "read")).text();
    expect(body).toContain("This story is for subscribers.");
    expect(body).toContain("3 free articles left this month.");
    expect(body).not.toContain(LAST);
  });

  it.each(articleFixtures.map((f) => [`${f.origin}/${f.name}`, f] as const))(
    "serves %s in full to a first read, and only its lead-in to a spent meter",
    async (_name, f) => {
      const { importPlainTextArticle } = await import("@/lib/content/import-article");
      const { slug: s } = await importPlainTextArticle(t.db, f.text, {});
      const blocks = parsePlainTextArticle(f.text).blocks.map((b) => escapeHtml(b.text));
      const full = await (await articleResponse(request(`/articles/${s}`), s, "read")).text();
      for (const block of blocks) expect(full).toContain(block);
      const preview = await (await articleResponse(request(`/articles/${s}`, { cookie: meterCookie([9001, 9002, 9003]) }), s, "read")).text();
      expect(preview).toContain('data-access="preview"');
      expect(preview).toContain(blocks[0]);
      for (const block of blocks.slice(2)) expect(preview).not.toContain(block);
    },
  );

  it("promises the trial to anonymous readers and to an account that has had none, not to one that has", async () => {
    const { createSignedInUser } = await import("./support/admin-harness");
    const { subscriptions } = await import("@/db/schema");
    const card = async (cookie?: string) => (await articleResponse(request(`/articles/${subscribersSlug}`, cookie ? { cookie } : {}), subscribersSlug, "read")).text();
    expect(await card()).toContain("7 days free");
    const fresh = await createSignedInUser(t.db, "never-trialled@ledger.test", "reader");
    expect(await card(`authjs.session-token=${fresh.token}`)).toContain("7 days free");
    // A trial had and ended: the account is sold the year without one, and the card says so.
    const former = await createSignedInUser(t.db, "trialled@ledger.test", "reader");
    const day = 86_400_000;
    await t.db.insert(subscriptions).values({
      stripeSubscriptionId: "sub_trialled_before",
      stripeCustomerId: "cus_trialled_before",
      userId: former.id,
      status: "canceled",
      stripePriceId: "price_trialled_before",
      planId: trialPlan!.id,
      trialEnd: new Date(Date.now() - 300 * day),
      currentPeriodStart: new Date(Date.now() - 300 * day),
      currentPeriodEnd: new Date(Date.now() - 200 * day),
      stripeCreated: new Date(Date.now() - 307 * day),
    });
    const body = await card(`authjs.session-token=${former.token}`);
    expect(body).toContain("data-paywall");
    expect(body).not.toMatch(/days? free/);
    expect(body).toContain("Renews at $80.00 / year until you cancel; cancel any time.");
  });

  it("answers 404 for unknown and malformed slugs", async () => {
    for (const s of ["nope", "Bad Slug", "../etc", ""]) {
      expect((await articleResponse(request(`/articles/x`), s, "recheck")).status).toBe(404);
    }
  });
});
