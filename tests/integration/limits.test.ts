import { count, eq, lt } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkoutAttempts, plans, rateLimitHits, subscriptions, users } from "@/db/schema";
import { PEER_HEADER, peerHeaderValue } from "@/lib/http/client-address";
import { startBillingApp, type BillingApp } from "./support/billing-app";
import { engines } from "./support/databases";

const SECRET = "whsec_limits_0123456789abcdef0123456789";
const KEY = "sk_test_limits";
const SITE = "http://ledger.test";
const MB = 1024 * 1024;

// Limits on what costs money or memory, through the app's real route handlers, a real database
// and the Stripe emulator.
describe.each(engines)("limits on %s", (engine) => {
  let app: BillingApp;

  beforeAll(async () => {
    app = await startBillingApp(engine, { key: KEY, secret: SECRET });
  });
  afterAll(() => app.close());

  const db = () => app.db();
  const monthlyId = async () => (await (await db()).select().from(plans).where(eq(plans.name, "Monthly")))[0]!.id;
  const attemptCount = async () => (await (await db()).select({ n: count() }).from(checkoutAttempts))[0]!.n;
  const stripeSessionCount = async () => (await app.api.checkout.sessions.list({ limit: 100 })).data.length;

  /** A reader who has just subscribed to Monthly through our Checkout, signed in (the session and its cookie). */
  async function subscriber(email: string) {
    const { startCheckout } = await import("@/lib/billing/checkout");
    const { createSession } = await import("@/lib/auth/create-session");
    const begun = await startCheckout(await db(), { user: null, planId: await monthlyId(), returnPath: "/" });
    if (begun.kind !== "checkout") throw new Error("expected a checkout");
    expect((await app.pay(begun.url, "4242424242424242", email)).status).toBe(303);
    await app.settle();
    const [user] = await (await db()).select().from(users).where(eq(users.email, email));
    const [sub] = await (await db()).select().from(subscriptions).where(eq(subscriptions.userId, user!.id));
    const session = await createSession(await db(), user!.id);
    return { user: user!, session, cookie: `${session.name}=${session.value}`, subscriptionId: sub!.stripeSubscriptionId };
  }

  /** A body of `total` bytes made only as it is read (no read-ahead), counting what was pulled. */
  function lazyBody(total: number, chunk = 64 * 1024) {
    const pulled = { bytes: 0 };
    const stream = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          if (pulled.bytes >= total) return controller.close();
          const size = Math.min(chunk, total - pulled.bytes);
          pulled.bytes += size;
          controller.enqueue(new Uint8Array(size).fill(0x61));
        },
      },
      { highWaterMark: 0 },
    );
    return { stream, pulled };
  }

  describe("request bodies over a limit get 413 before they are read whole", () => {
    it("a 2 MB webhook body is refused at once from its Content-Length", async () => {
      const { POST } = await import("@/app/api/stripe/webhook/route");
      const { stream, pulled } = lazyBody(2 * MB);
      const response = await POST(
        new Request(`${SITE}/api/stripe/webhook`, {
          method: "POST",
          headers: { "content-length": String(2 * MB), "stripe-signature": "t=1,v1=x" },
          body: stream,
          duplex: "half",
        } as RequestInit),
      );
      expect(response.status).toBe(413);
      expect(pulled.bytes).toBe(0);
    });

    it("a chunked webhook body without Content-Length is cut off just past 1 MB; memory does not grow with it", async () => {
      const { POST } = await import("@/app/api/stripe/webhook/route");
      const send = async (total: number) => {
        const { stream, pulled } = lazyBody(total);
        const request = new Request(`${SITE}/api/stripe/webhook`, { method: "POST", headers: { "stripe-signature": "t=1,v1=x" }, body: stream, duplex: "half" } as RequestInit);
        return { status: (await POST(request)).status, pulled: pulled.bytes };
      };
      expect(await send(2 * MB)).toEqual({ status: 413, pulled: expect.any(Number) });
      global.gc?.();
      const before = process.memoryUsage().rss;
      const big = await send(256 * MB);
      const grown = process.memoryUsage().rss - before;
      expect(big.status).toBe(413);
      // The limit plus the chunk that passed it: not the 256 MB.
      expect(big.pulled).toBeLessThanOrEqual(MB + 64 * 1024);
      expect(grown).toBeLessThan(8 * MB);
    });

    it("a normal signed webhook is still received", async () => {
      const { POST } = await import("@/app/api/stripe/webhook/route");
      const customer = await app.api.customers.create({ email: "limits-webhook@ledger.test" });
      await app.settle();
      const [event] = (await app.api.events.list({ type: "customer.created", limit: 5 })).data.filter((e) => (e.data.object as { id: string }).id === customer.id);
      const payload = JSON.stringify(event);
      const header = app.api.webhooks.generateTestHeaderString({ payload, secret: SECRET });
      const response = await POST(new Request(`${SITE}/api/stripe/webhook`, { method: "POST", headers: { "stripe-signature": header }, body: payload }));
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ outcome: "duplicate" });
    });

    it("a 100 KB form to the checkout, the billing portal or Auth.js gets 413 and changes nothing", async () => {
      const form = `plan=${await monthlyId()}&return=%2F&pad=${"a".repeat(100 * 1024)}`;
      const attempts = await attemptCount();
      const sessions = await stripeSessionCount();
      const hits = (await (await db()).select({ n: count() }).from(rateLimitHits))[0]!.n;
      const { POST: checkout } = await import("@/app/subscribe/checkout/route");
      const { POST: portal } = await import("@/app/account/billing-portal/route");
      const { POST: auth } = await import("@/app/api/auth/[...nextauth]/route");
      for (const [handler, path] of [
        [checkout, "/subscribe/checkout"],
        [portal, "/account/billing-portal"],
        [auth, "/api/auth/signout"],
      ] as const) {
        // Chunked (no Content-Length) as well as declared: both are refused.
        for (const declared of [true, false]) {
          const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", [PEER_HEADER]: peerHeaderValue("192.0.2.99") };
          if (declared) headers["content-length"] = String(form.length);
          const response = await handler(new NextRequest(`${SITE}${path}`, { method: "POST", headers, body: form }));
          expect(response.status, `${path} ${declared ? "with" : "without"} Content-Length`).toBe(413);
        }
      }
      expect(await attemptCount()).toBe(attempts);
      expect(await stripeSessionCount()).toBe(sessions);
      expect((await (await db()).select({ n: count() }).from(rateLimitHits))[0]!.n).toBe(hits);
    });
  });

  describe("starting Checkout is rate limited per client address and per browser", () => {
    async function start(address: string, browserCookie?: string) {
      const { POST } = await import("@/app/subscribe/checkout/route");
      const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", [PEER_HEADER]: peerHeaderValue(address) };
      if (browserCookie) headers.cookie = `mh_browser=${browserCookie}`;
      const response = await POST(new NextRequest(`${SITE}/subscribe/checkout`, { method: "POST", headers, body: `plan=${await monthlyId()}&return=%2Farticles%2Fx` }));
      const set = response.headers.getSetCookie().find((c) => c.startsWith("mh_browser="));
      return { response, browserCookie: set ? decodeURIComponent(set.split(";")[0]!.slice("mh_browser=".length)) : undefined };
    }

    it("the 11th start from one browser in an hour gets a friendly 429 and reaches neither Stripe nor the database", async () => {
      const first = await start("198.51.100.1");
      expect(first.response.status).toBe(303);
      expect(first.response.headers.get("location")).toContain("cs_test_");
      const browser = first.browserCookie!;
      expect(browser).toBeTruthy();
      for (let i = 2; i <= 10; i++) {
        const next = await start("198.51.100.1", browser);
        expect(next.response.status, `start ${i}`).toBe(303);
        expect(next.browserCookie, "a valid browser cookie is kept").toBeUndefined();
      }
      const sessions = await stripeSessionCount();
      const attempts = await attemptCount();

      const eleventh = await start("198.51.100.1", browser);
      expect(eleventh.response.status).toBe(429);
      const retryAfter = Number(eleventh.response.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThan(3000);
      expect(retryAfter).toBeLessThanOrEqual(3600);
      const page = await eleventh.response.text();
      expect(page).toContain("Please try again in 60 minutes");
      expect(page).toContain('class="site-header');
      expect(await stripeSessionCount()).toBe(sessions);
      expect(await attemptCount()).toBe(attempts);

      // The same browser from another address: still its own limit.
      expect((await start("198.51.100.2", browser)).response.status).toBe(429);
      // Another browser from another address is unaffected.
      const other = await start("198.51.100.3");
      expect(other.response.status).toBe(303);
      expect(other.browserCookie).toBeTruthy();
      // Dropping the cookie, or forging one, leaves the per-address limit.
      expect((await start("198.51.100.1")).response.status).toBe(429);
      expect((await start("198.51.100.1", `${browser.slice(0, -2)}xx`)).response.status).toBe(429);
      // A forged cookie is not that browser: elsewhere it gets a fresh id.
      const forged = await start("198.51.100.4", `${browser.split(".")[0]}.forged`);
      expect(forged.response.status).toBe(303);
      expect(forged.browserCookie).toBeTruthy();
      expect(await stripeSessionCount()).toBe(sessions + 2);
      expect(await attemptCount()).toBe(attempts + 2);
    });
  });

  describe("the portal return, a GET any site can link to, pulls from Stripe at most once per user per 30 s", () => {
    it("a second return within the window does not call Stripe; another user's does", async () => {
      const { GET } = await import("@/app/account/billing-return/route");
      // Our copy goes stale (as if a webhook were lost); only a pull from Stripe puts it right.
      const makeStale = async (userId: string) => (await db()).update(subscriptions).set({ cancelAtPeriodEnd: true }).where(eq(subscriptions.userId, userId));
      const stale = async (userId: string) => (await (await db()).select().from(subscriptions).where(eq(subscriptions.userId, userId)))[0]!.cancelAtPeriodEnd;
      const returnAs = async (session: { name: string; value: string }) =>
        GET(new NextRequest(`${SITE}/account/billing-return`, { headers: { cookie: `${session.name}=${session.value}` } }));

      const a = await subscriber("portal-a@ledger.test");
      const b = await subscriber("portal-b@ledger.test");
      await makeStale(a.user.id);
      expect((await returnAs(a.session)).status).toBe(303);
      expect(await stale(a.user.id)).toBe(false);

      await makeStale(a.user.id);
      const again = await returnAs(a.session);
      expect(again.status).toBe(303);
      expect(again.headers.get("location")).toBe(`${SITE}/account`);
      expect(await stale(a.user.id)).toBe(true);

      await makeStale(b.user.id);
      await returnAs(b.session);
      expect(await stale(b.user.id)).toBe(false);
    });
  });

  describe("billing portal sessions are made only by a POST, at most 10 an hour per reader", () => {
    it("the card-update link's GET makes nothing; the 11th session in an hour, by either route, gets 429; bad input changes nothing", async () => {
      const updateCard = await import("@/app/account/update-card/route");
      const { POST: portal } = await import("@/app/account/billing-portal/route");
      const post = (handler: typeof portal, path: string, cookie: string, body: string) =>
        handler(new NextRequest(`${SITE}${path}`, { method: "POST", headers: { cookie, "content-type": "application/x-www-form-urlencoded" }, body }));
      const hits = async () => (await (await db()).select({ n: count() }).from(rateLimitHits))[0]!.n;

      const a = await subscriber("portal-limit-a@ledger.test");
      const b = await subscriber("portal-limit-b@ledger.test");
      // Opening the mailed link (as a mail scanner or another site may) only shows a button that POSTs.
      const shown = await updateCard.GET(new NextRequest(`${SITE}/account/update-card?subscription=${a.subscriptionId}`, { headers: { cookie: a.cookie } }));
      expect(shown.status).toBe(200);
      const page = await shown.text();
      expect(page).toContain('<form method="post" action="/account/update-card">');
      expect(page).toContain(`value="${a.subscriptionId}"`);

      // Bad input: the reader is told, and nothing is counted or made.
      const before = await hits();
      const bad = await post(updateCard.POST, "/account/update-card", a.cookie, "subscription=not-a-subscription");
      expect(bad.status).toBe(303);
      expect(bad.headers.get("location")).toBe(`${SITE}/account?billing=invalid`);
      expect(await hits()).toBe(before);

      for (let i = 1; i <= 10; i++) {
        const response = i % 2 ? await post(updateCard.POST, "/account/update-card", a.cookie, `subscription=${a.subscriptionId}`) : await post(portal, "/account/billing-portal", a.cookie, "");
        expect(response.status, `session ${i}`).toBe(303);
        expect(response.headers.get("location")).toContain("/p/session/bps_");
      }
      for (const refused of [await post(updateCard.POST, "/account/update-card", a.cookie, `subscription=${a.subscriptionId}`), await post(portal, "/account/billing-portal", a.cookie, "")]) {
        expect(refused.status).toBe(429);
        expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
        expect(await refused.text()).toContain("Please wait a little");
      }
      // Another reader is not held by the first one's sessions.
      expect((await post(portal, "/account/billing-portal", b.cookie, "")).status).toBe(303);
    });
  });

  describe("old rate-limit hits are pruned for every key", () => {
    it("every 100th hit deletes other keys' hits older than the longest window, and keeps younger ones", async () => {
      const { hitRateLimit, LONGEST_WINDOW_MS, rateLimitKey } = await import("@/lib/http/rate-limit");
      const now = new Date();
      const old = new Date(now.getTime() - LONGEST_WINDOW_MS - 60_000);
      const young = new Date(now.getTime() - 2 * 3_600_000);
      await (await db()).insert(rateLimitHits).values([
        { key: "gone-for-good:a", at: old },
        { key: "gone-for-good:b", at: old },
        { key: "quiet-for-a-while", at: young },
      ]);
      const oldRows = async () => (await (await db()).select({ n: count() }).from(rateLimitHits).where(lt(rateLimitHits.at, new Date(now.getTime() - LONGEST_WINDOW_MS))))[0]!.n;
      expect(await oldRows()).toBe(2);
      const key = rateLimitKey("prune-test", "x");
      for (let i = 0; i < 100; i++) await hitRateLimit(await db(), key, 1_000, 3_600_000, now);
      expect(await oldRows()).toBe(0);
      expect(await (await db()).select().from(rateLimitHits).where(eq(rateLimitHits.key, "quiet-for-a-while"))).toHaveLength(1);
      await expect(hitRateLimit(await db(), key, 1, LONGEST_WINDOW_MS + 1)).rejects.toThrow(RangeError);
    });
  });
});
