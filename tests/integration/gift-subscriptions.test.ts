/**
 * Gift subscriptions against the Stripe emulator (Checkout in payment mode, refunds) and a real
 * database: a signed-in reader buys months of a plan for an address; nothing happens until
 * Stripe's copy of the payment says paid (never on the success redirect alone); on its delivery
 * date (an injected clock) the recipient is mailed a one-time redeem link that only their
 * verified account can use; redeeming adds a grant the decision names ("gift-subscription"), after
 * any paid period they already have, and it ends when the months do; a refund before redeeming
 * revokes the gift; bad input gets field errors and makes nothing.
 */
import { and, eq, like, sql } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { billingMails, giftSubscriptions, grants, plans, sessions, subscriptions, users } from "@/db/schema";
import { startBillingApp, type BillingApp } from "./support/billing-app";
import { engines } from "./support/databases";

const SECRET = "whsec_gift_subs_0123456789abcdef0123456789ab";
const KEY = "sk_test_gift_subscriptions";
const SITE = "http://ledger.test";
const SESSION_COOKIE = "authjs.session-token";
const LAST = "expects to have cleared the backlog by the middle of next week";
const DAY = 86_400_000;
const today = () => new Date().toISOString().slice(0, 10);
const dayOf = (offset: number) => new Date(Date.now() + offset * DAY).toISOString().slice(0, 10);

describe.each(engines)("gift subscriptions on %s", (engine) => {
  let app: BillingApp;
  const admin = { id: "gift-admin", email: "admin@ledger.test" };
  let slug: string;

  beforeAll(async () => {
    app = await startBillingApp(engine, { key: KEY, secret: SECRET, admin });
    const { importPlainTextArticle } = await import("@/lib/content/import-article");
    const { fixtureText } = await import("./support/admin-harness");
    slug = (await importPlainTextArticle(await app.db(), fixtureText, { slug: "gift-locked", access: "subscribers" })).slug;
  });
  afterAll(() => app.close());

  const db = () => app.db();
  let n = 0;
  async function reader(email: string, verified = true) {
    const [user] = await (await db()).insert(users).values({ email, emailVerified: verified ? new Date() : null, name: email.startsWith("giver") ? "Gina Giver" : null }).returning();
    const token = `gift-session-${++n}-${Math.random().toString(36).slice(2)}`;
    await (await db()).insert(sessions).values({ sessionToken: token, userId: user!.id, expires: new Date(Date.now() + 3_600_000) });
    return { id: user!.id, email, token };
  }
  const cookie = (token: string | null): Record<string, string> => (token ? { cookie: `${SESSION_COOKIE}=${token}` } : {});

  async function post(path: string, token: string | null, fields: Record<string, string>, origin = SITE) {
    const route = path === "/gift" ? await import("@/app/gift/route") : await import("@/app/gift/redeem/route");
    const request = new NextRequest(new URL(path, SITE), {
      method: "POST",
      headers: { ...cookie(token), origin, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    });
    const response = await route.POST(request);
    return { status: response.status, location: response.headers.get("location"), body: await response.text() };
  }
  async function get(pathAndQuery: string, token: string | null) {
    const path = new URL(pathAndQuery, SITE).pathname;
    const route = path === "/gift/return" ? await import("@/app/gift/return/route") : path === "/gift/redeem" ? await import("@/app/gift/redeem/route") : await import("@/app/gift/route");
    const response = await route.GET(new NextRequest(new URL(pathAndQuery, SITE), { headers: cookie(token) }));
    return { status: response.status, body: await response.text() };
  }
  async function planId(name = "Monthly") {
    const [plan] = await (await db()).select().from(plans).where(eq(plans.name, name));
    return plan!;
  }
  const giftForm = async (fields: Record<string, string> = {}) => ({
    planId: String((await planId()).id),
    months: "3",
    recipientEmail: "friend@ledger.test",
    message: "Happy birthday!\nRead well.",
    deliverOn: today(),
    ...fields,
  });
  async function giftRow(sessionId: string) {
    return (await (await db()).select().from(giftSubscriptions).where(eq(giftSubscriptions.stripeSessionId, sessionId)))[0]!;
  }
  /** Buys a gift through /gift and pays it at the emulator's hosted page; returns its row once Stripe's webhook settled it and the sweep ran. */
  async function buy(buyerToken: string, fields: Record<string, string>, pay = true) {
    const answer = await post("/gift", buyerToken, await giftForm(fields));
    expect(answer.status).toBe(303);
    const url = answer.location!;
    expect(url.startsWith(app.emulator.url)).toBe(true);
    const sessionId = new URL(url).pathname.split("/").pop()!;
    if (pay) {
      expect((await app.pay(url, "4242424242424242", "typed@elsewhere.test")).status).toBe(303);
      await settle();
      await deliverAt(new Date());
    }
    return giftRow(sessionId);
  }
  async function settle() {
    await app.settle();
    await (await import("@/lib/gift-subscriptions/redeem-link")).giftDeliveryIdle();
    await app.settle();
  }
  async function deliverAt(at: Date) {
    const { deliverDueGiftSubscriptions } = await import("@/lib/gift-subscriptions/redeem-link");
    const delivered = await deliverDueGiftSubscriptions(await db(), at);
    await settle();
    return delivered;
  }
  const mail = async (key: string) => (await (await db()).select().from(billingMails).where(eq(billingMails.key, key)))[0];
  async function redeemToken(giftId: number, mailing = 1) {
    const row = await mail(`gift_subscription_link:${giftId}:${mailing}`);
    const token = /\/gift\/redeem\?token=([A-Za-z0-9_-]{43})/.exec(row!.content!.text)?.[1];
    expect(token).toBeDefined();
    return token!;
  }
  async function reads(token: string): Promise<boolean> {
    const { articleResponse } = await import("@/lib/reading/article-response");
    const response = await articleResponse(new NextRequest(`${SITE}/articles/${slug}`, { headers: cookie(token) }), slug, "read");
    return (await response.text()).includes(LAST);
  }
  /** The decision the access trace replays for this reader at `at`. */
  async function decisionAt(token: string, at: Date) {
    const { traceReading } = await import("@/lib/trace/trace-reading");
    const [s] = await (await db()).select().from(sessions).where(eq(sessions.sessionToken, token));
    return (await traceReading(await db(), { kind: "user", userId: s!.userId, address: null }, slug, "read", at))!.decision;
  }

  it("is paid by Stripe's copy, mailed on its date with a one-time link for the recipient's verified account, read as a gift subscription, and ends with its months", async () => {
    const giver = await reader("giver@ledger.test");
    const gift = await buy(giver.token, { deliverOn: dayOf(10), recipientEmail: "Friend@Ledger.test" });
    expect(gift).toMatchObject({ recipientEmail: "friend@ledger.test", months: 3, amount: (await planId()).amount * 3, deliveredAt: null });
    expect(gift.paidAt).not.toBeNull();
    const intent = await app.api.paymentIntents.retrieve(gift.stripePaymentIntentId!);
    expect(intent).toMatchObject({ status: "succeeded", amount: gift.amount });
    const receipt = await mail(`gift_subscription_receipt:${gift.id}`);
    expect(receipt?.content).toMatchObject({ to: "giver@ledger.test", subject: expect.stringMatching(/receipt/) });
    expect(receipt!.content!.text).toContain(dayOf(10));

    // The return page refetches and agrees; it changes nothing a second time.
    expect((await get(`/gift/return?session_id=${gift.stripeSessionId}`, giver.token)).body).toContain('data-testid="gift-paid"');
    expect((await get(`/gift/return?session_id=${gift.stripeSessionId}`, (await reader("nosy@ledger.test")).token)).status).toBe(404);

    // Not before its date; on it, once.
    expect(await deliverAt(new Date(Date.now() + 9 * DAY))).toBe(0);
    expect(await mail(`gift_subscription_link:${gift.id}:1`)).toBeUndefined();
    expect(await deliverAt(new Date(Date.now() + 10 * DAY))).toBe(1);
    expect(await deliverAt(new Date(Date.now() + 11 * DAY))).toBe(0);
    const delivery = await mail(`gift_subscription_link:${gift.id}:1`);
    expect(delivery?.content).toMatchObject({ to: "friend@ledger.test", subject: expect.stringMatching(/A gift for you: 3 months of Monthly/) });
    expect(delivery!.content!.text).toContain("Gina Giver gave you");
    expect(delivery!.content!.text).toContain("Happy birthday!\nRead well.");
    const token = await redeemToken(gift.id);
    expect((await (await db()).select({ hash: giftSubscriptions.tokenHash }).from(giftSubscriptions).where(eq(giftSubscriptions.id, gift.id)))[0]!.hash).not.toBe(token);

    // Signed out, another account, or the address unproven: nothing.
    expect((await get(`/gift/redeem?token=${token}`, null)).body).toContain("Sign in to redeem");
    const stranger = await reader("stranger@ledger.test");
    expect((await post("/gift/redeem", stranger.token, { token })).body).toContain("This gift is for another address");
    const friend = await reader("friend@ledger.test", false);
    expect((await post("/gift/redeem", friend.token, { token })).body).toContain("This gift is for another address");
    expect(await (await db()).select().from(grants).where(eq(grants.userId, friend.id))).toHaveLength(0);
    expect(await reads(friend.token)).toBe(false);

    // Proven (a verified sign-in as that address): redeemed once, read on every instance within 1 s.
    await (await db()).update(users).set({ emailVerified: new Date() }).where(eq(users.id, friend.id));
    expect((await get(`/gift/redeem?token=${token}`, friend.token)).body).toContain("Redeem the gift");
    const redeemedAt = Date.now();
    const redeemed = await post("/gift/redeem", friend.token, { token });
    expect(redeemed.body).toMatch(/Redeemed: you can read every article from \d{4}-\d{2}-\d{2} until \d{4}-\d{2}-\d{2}/);
    await vi.waitFor(async () => expect(await reads(friend.token)).toBe(true), { timeout: 1_000, interval: 20 });
    expect(Date.now() - redeemedAt).toBeLessThan(1_000);
    expect((await post("/gift/redeem", friend.token, { token })).body).toContain("already redeemed");

    const [grant] = await (await db()).select().from(grants).where(eq(grants.userId, friend.id));
    expect(grant).toMatchObject({ giftSubscriptionId: gift.id, revokedAt: null });
    expect(Math.abs(grant!.startsAt.getTime() - redeemedAt)).toBeLessThan(5_000);
    const months = (grant!.endsAt!.getUTCFullYear() - grant!.startsAt.getUTCFullYear()) * 12 + grant!.endsAt!.getUTCMonth() - grant!.startsAt.getUTCMonth();
    expect(months).toBe(3);
    expect((await mail(`gift_subscription_redeemed:${gift.id}`))?.content).toMatchObject({ to: "giver@ledger.test", subject: expect.stringMatching(/was redeemed/) });

    // The trace and "why" name it; it ends with its months, and nothing renews.
    expect((await decisionAt(friend.token, new Date(Date.now() + DAY))).reason).toBe("gift-subscription");
    const { whyForReader } = await import("@/lib/trace/reader-why");
    const why = await whyForReader({ get: (name: string) => (name === SESSION_COOKIE ? { value: friend.token } : undefined) }, slug);
    expect(why!.explanation.summary).toMatch(/gift subscription/);
    expect((await decisionAt(friend.token, new Date(grant!.endsAt!.getTime() - 1_000))).reason).toBe("gift-subscription");
    expect((await decisionAt(friend.token, new Date(grant!.endsAt!.getTime() + 1_000))).reason).toBe("subscribers-only");
    expect(await app.api.subscriptions.list({ limit: 100 }).then((l) => l.data.filter((s) => s.metadata.masthead_gift_subscription))).toHaveLength(0);
  });

  it("a recipient who already subscribes gets the months after their paid period ends", async () => {
    const { startCheckout } = await import("@/lib/billing/checkout");
    const start = await startCheckout(await db(), { user: null, planId: (await planId()).id, returnPath: "/" });
    if (start.kind !== "checkout") throw new Error("expected a checkout");
    expect((await app.pay(start.url, "4242424242424242", "subscriber@ledger.test")).status).toBe(303);
    await settle();
    const [member] = await (await db()).select().from(users).where(eq(users.email, "subscriber@ledger.test"));
    await (await db()).update(users).set({ emailVerified: new Date() }).where(eq(users.id, member!.id));
    const [sub] = await (await db()).select().from(subscriptions).where(eq(subscriptions.userId, member!.id));
    const token = `gift-sub-session-${Date.now()}`;
    await (await db()).insert(sessions).values({ sessionToken: token, userId: member!.id, expires: new Date(Date.now() + 3_600_000) });

    const giver = await reader("giver2@ledger.test");
    const gift = await buy(giver.token, { recipientEmail: "subscriber@ledger.test", months: "1" });
    expect(gift.deliveredAt).not.toBeNull(); // its date is today: the sweep's first pass mailed it
    expect((await post("/gift/redeem", token, { token: await redeemToken(gift.id) })).body).toContain("Redeemed");
    const [grant] = await (await db()).select().from(grants).where(eq(grants.giftSubscriptionId, gift.id));
    const periodEnd = sub!.currentPeriodEnd!.getTime() - sub!.clockOffsetSeconds * 1000;
    expect(grant!.startsAt.getTime()).toBe(periodEnd);
  });

  it("a subscriber may start the months now instead of after their paid period; the page offers both, after by default; a bad choice redeems nothing", async () => {
    const { subscriberOn } = await import("./support/gift-fixtures");
    const subscriber = await subscriberOn(await db(), "early@ledger.test", (await planId()).id);
    const giver = await reader("giver6@ledger.test");
    const gift = await buy(giver.token, { recipientEmail: "early@ledger.test", months: "1" });
    const token = await redeemToken(gift.id);
    const page = (await get(`/gift/redeem?token=${token}`, subscriber.token)).body;
    expect(page).toMatch(/<input type="radio" name="start" value="after" checked> After the reading you already have ends, on \d{4}-\d{2}-\d{2}/);
    expect(page).toContain('<input type="radio" name="start" value="now"> Now');
    // A reader with nothing to wait for is not asked.
    const plain = await buy(giver.token, { recipientEmail: "plain@ledger.test", months: "1" });
    const plainReader = await reader("plain@ledger.test");
    expect((await get(`/gift/redeem?token=${await redeemToken(plain.id)}`, plainReader.token)).body).not.toContain('name="start"');

    const refused = await post("/gift/redeem", subscriber.token, { token, start: "tomorrow" });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatch(/id="start-error" role="alert">Choose when the months start/);
    expect(await (await db()).select().from(grants).where(eq(grants.giftSubscriptionId, gift.id))).toHaveLength(0);
    expect((await giftRow(gift.stripeSessionId)).redeemedAt).toBeNull();

    const redeemedAt = Date.now();
    expect((await post("/gift/redeem", subscriber.token, { token, start: "now" })).body).toContain("Redeemed");
    const [grant] = await (await db()).select().from(grants).where(eq(grants.giftSubscriptionId, gift.id));
    expect(Math.abs(grant!.startsAt.getTime() - redeemedAt)).toBeLessThan(5_000);
    const [sub] = await (await db()).select().from(subscriptions).where(eq(subscriptions.userId, subscriber.id));
    expect(grant!.startsAt.getTime()).toBeLessThan(sub!.currentPeriodEnd!.getTime());
  });

  it("a week before a redeemed gift ends, its recipient is offered a subscription once (the sweep on an injected clock); not while they subscribe", async () => {
    const { mailEndingGiftSubscriptions } = await import("@/lib/gift-subscriptions/ending-mail");
    const giver = await reader("giver7@ledger.test");
    const gift = await buy(giver.token, { recipientEmail: "ending@ledger.test", months: "3" });
    const recipient = await reader("ending@ledger.test");
    expect((await post("/gift/redeem", recipient.token, { token: await redeemToken(gift.id) })).body).toContain("Redeemed");
    const [grant] = await (await db()).select().from(grants).where(eq(grants.giftSubscriptionId, gift.id));
    const endsAt = grant!.endsAt!.getTime();
    const key = `gift_subscription_ending:${gift.id}`;

    // (Other tests' gifts end near it: judged by this gift's key.)
    await mailEndingGiftSubscriptions(await db(), new Date(endsAt - 7 * DAY - 1_000));
    expect(await mail(key)).toBeUndefined();
    expect(await mailEndingGiftSubscriptions(await db(), new Date(endsAt - 7 * DAY))).toBeGreaterThanOrEqual(1);
    expect(await mail(key)).toBeDefined();
    expect(await mailEndingGiftSubscriptions(await db(), new Date(endsAt - 7 * DAY))).toBe(0);
    expect(await mailEndingGiftSubscriptions(await db(), new Date(endsAt - DAY))).toBe(0);
    expect(await mailEndingGiftSubscriptions(await db(), new Date(endsAt + DAY))).toBe(0);
    const offer = await mail(key);
    expect(offer?.content).toMatchObject({ to: "ending@ledger.test", subject: `Your gift subscription ends on ${new Date(endsAt).toISOString().slice(0, 10)}` });
    expect(offer!.content!.text).toContain(`${SITE}/subscribe`);
    expect(offer!.userId).toBe(recipient.id);

    // A recipient who subscribes meanwhile is not offered one.
    const { subscriberOn } = await import("./support/gift-fixtures");
    const subscriber = await subscriberOn(await db(), "subscribed-ending@ledger.test", (await planId()).id);
    const second = await buy(giver.token, { recipientEmail: "subscribed-ending@ledger.test", months: "1" });
    expect((await post("/gift/redeem", subscriber.token, { token: await redeemToken(second.id), start: "now" })).body).toContain("Redeemed");
    const [secondGrant] = await (await db()).select().from(grants).where(eq(grants.giftSubscriptionId, second.id));
    expect(await mailEndingGiftSubscriptions(await db(), new Date(secondGrant!.endsAt!.getTime() - DAY))).toBe(0);
    expect(await mail(`gift_subscription_ending:${second.id}`)).toBeUndefined();
  });

  it("a refund before redeeming revokes the gift: its link stops working, Stripe returns the payment once; a redeemed gift is not refunded", async () => {
    const { refundGift, resendGift, listGiftSubscriptions } = await import("@/lib/admin/gift-subscriptions/commands");
    const giver = await reader("giver3@ledger.test");
    const later = await buy(giver.token, { recipientEmail: "later@ledger.test", deliverOn: dayOf(30) });
    const now = await buy(giver.token, { recipientEmail: "soon@ledger.test" });
    const token = await redeemToken(now.id);

    // Resend replaces the link: the old one no longer works.
    expect(await resendGift(await db(), admin, now.id, new Date())).toMatchObject({ ok: true });
    await settle();
    const newer = await redeemToken(now.id, 2);
    expect((await get(`/gift/redeem?token=${token}`, null)).status).toBe(404);

    expect(await refundGift(await db(), admin, later.id, new Date())).toMatchObject({ ok: true });
    expect(await refundGift(await db(), admin, now.id, new Date())).toMatchObject({ ok: true });
    expect(await refundGift(await db(), admin, now.id, new Date())).toMatchObject({ ok: false, message: /refunded already/ });
    const refunded = await giftRow(now.stripeSessionId);
    expect(refunded.stripeRefundId).toMatch(/^re_/);
    expect(await app.api.refunds.retrieve(refunded.stripeRefundId!)).toMatchObject({ amount: now.amount, payment_intent: now.stripePaymentIntentId, status: "succeeded" });

    const soon = await reader("soon@ledger.test");
    const refused = await post("/gift/redeem", soon.token, { token: newer });
    expect(refused.status).toBe(400);
    expect(refused.body).toContain("This gift was refunded");
    expect(await (await db()).select().from(grants).where(eq(grants.userId, soon.id))).toHaveLength(0);
    expect(await deliverAt(new Date(Date.now() + 31 * DAY))).toBe(0);
    expect(await mail(`gift_subscription_link:${later.id}:1`)).toBeUndefined();

    // Redeemed: the admin is told to end the grant instead.
    const kept = await buy(giver.token, { recipientEmail: "keeper@ledger.test" });
    const keeper = await reader("keeper@ledger.test");
    expect((await post("/gift/redeem", keeper.token, { token: await redeemToken(kept.id) })).body).toContain("Redeemed");
    expect(await refundGift(await db(), admin, kept.id, new Date())).toMatchObject({ ok: false, message: /redeemed/ });

    const { gifts } = await listGiftSubscriptions(await db());
    const status = (id: number) => gifts.find((g) => g.id === id)!.status;
    expect([status(later.id), status(now.id), status(kept.id)]).toEqual(["refunded", "refunded", "redeemed"]);
  });

  it("the success redirect alone grants and mails nothing: an unpaid gift is never delivered", async () => {
    const giver = await reader("giver4@ledger.test");
    const unpaid = await buy(giver.token, { recipientEmail: "unpaid@ledger.test" }, false);
    expect((await get(`/gift/return?session_id=${unpaid.stripeSessionId}`, giver.token)).body).toContain('data-testid="gift-confirming"');
    expect((await giftRow(unpaid.stripeSessionId)).paidAt).toBeNull();
    expect(await deliverAt(new Date(Date.now() + 400 * DAY))).toBe(0);
    expect(await mail(`gift_subscription_receipt:${unpaid.id}`)).toBeUndefined();
  });

  it("bad input gets a field error and makes nothing: no gift, no checkout session", async () => {
    const giver = await reader("giver5@ledger.test");
    const count = async () => Number((await (await db()).select({ n: sql<number>`count(*)` }).from(giftSubscriptions))[0]!.n);
    const sessionsAtStripe = async () => (await app.api.checkout.sessions.list({ limit: 100 })).data.length;
    const before = [await count(), await sessionsAtStripe()];
    const yearOn = new Date(`${today()}T00:00:00Z`);
    yearOn.setUTCFullYear(yearOn.getUTCFullYear() + 1);
    const cases: Array<[Record<string, string>, string, RegExp]> = [
      [{ deliverOn: dayOf(-1) }, "deliverOn", /cannot be in the past/],
      [{ deliverOn: new Date(yearOn.getTime() + DAY).toISOString().slice(0, 10) }, "deliverOn", /within a year/],
      [{ deliverOn: "2027-02-30" }, "deliverOn", /does not exist/],
      [{ deliverOn: "next week" }, "deliverOn", /YYYY-MM-DD/],
      [{ recipientEmail: "not-an-address" }, "recipientEmail", /valid email address/],
      [{ recipientEmail: "" }, "recipientEmail", /Enter the recipient/],
      [{ months: "2" }, "months", /1, 3, 6 or 12/],
      [{ months: "lots" }, "months", /1, 3, 6 or 12/],
      [{ message: "x".repeat(501) }, "message", /500 characters/],
      [{ planId: "999999" }, "planId", /not available/],
      [{ planId: "monthly" }, "planId", /Choose a plan/],
    ];
    for (const [fields, field, message] of cases) {
      const answer = await post("/gift", giver.token, await giftForm(fields));
      expect(answer.status, JSON.stringify(fields)).toBe(400);
      expect(answer.body).toMatch(new RegExp(`id="${field}-error" role="alert">[^<]*${message.source}`));
      expect(answer.body).toContain(`id="${field}" name="${field}"`);
    }
    // A year on exactly is allowed (checked without buying: the schema alone).
    const { giftPurchaseSchema } = await import("@/lib/gift-subscriptions/fields");
    expect(giftPurchaseSchema(today()).safeParse(await giftForm({ deliverOn: yearOn.toISOString().slice(0, 10) })).success).toBe(true);
    // Signed out: to sign in; from another site: refused.
    expect((await post("/gift", null, await giftForm())).location).toMatch(/\/signin\?callbackUrl=%2Fgift$/);
    expect((await post("/gift", giver.token, await giftForm(), "https://evil.test")).status).toBe(403);
    // A redeem post with a malformed token changes nothing.
    expect((await post("/gift/redeem", giver.token, { token: "short" })).status).toBe(303);
    expect([await count(), await sessionsAtStripe()]).toEqual(before);
    expect(await (await db()).select().from(billingMails).where(and(like(billingMails.key, "gift_subscription%"), eq(billingMails.userId, giver.id)))).toHaveLength(0);
  });
});
